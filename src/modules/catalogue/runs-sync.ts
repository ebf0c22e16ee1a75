import type { Executor } from '../../db/client.js'
import type { FieldError } from '../../errors.js'
import type { ChangeEntry } from '../journal/index.js'
import { runColumns, runsRepository, type RunColumns, type RunOfferRow } from './runs-repository.js'
import { runIdErrors } from './runs-rules.js'
import type { RunSyncCounts, SyncRun } from './runs-schemas.js'
import { runChanges, runErrors } from './runs.js'

// The runs of a sync: an offer item that carries `runs` states the offer's whole set of runs.

/** A sync's offer as the runs' plan needs it. */
export interface RunsCandidate {
  index: number
  externalId: string
  runs?: SyncRun[]
  /** The offer's forms of participation as the sync writes it. */
  participation: readonly string[] | undefined
}

interface OfferRuns {
  externalId: string
  inserts: Array<{ runId: string; columns: RunColumns }>
  updates: Array<{ id: string; columns: RunColumns }>
  deletes: Array<{ id: string; runId: string; revision: number }>
  unchanged: number
}

export interface RunsPlan {
  /** The run errors of each offer item, by its index in the sync. */
  errors: Map<number, FieldError[]>
  offers: OfferRuns[]
}

function inputOf(run: SyncRun) {
  const { runId: _runId, ...input } = run
  return input
}

/**
 * What the sync will do to the runs of each offer that carries them, given the runs stored
 * (locked). A run identical to what is stored is unchanged and not checked again, as for offers.
 */
export async function planRuns(tx: Executor, candidates: readonly RunsCandidate[], offerIds: ReadonlyMap<string, string>): Promise<RunsPlan> {
  const withRuns = candidates.filter((candidate) => candidate.runs !== undefined)
  const ids = withRuns.flatMap((candidate) => (offerIds.has(candidate.externalId) ? [offerIds.get(candidate.externalId)!] : []))
  const stored = new Map<string, Map<string, { id: string; runId: string; contentHash: string; revision: number }>>()
  for (const run of await runsRepository.lockRunsOf(tx, [...ids])) {
    if (!stored.has(run.offerId)) stored.set(run.offerId, new Map())
    stored.get(run.offerId)!.set(run.runId, run)
  }
  const plan: RunsPlan = { errors: new Map(), offers: [] }
  for (const candidate of withRuns) {
    const offerId = offerIds.get(candidate.externalId)
    const current = (offerId !== undefined && stored.get(offerId)) || new Map()
    const planned: OfferRuns = { externalId: candidate.externalId, inserts: [], updates: [], deletes: [], unchanged: 0 }
    const errors: FieldError[] = []
    const checked: Array<{ run: ReturnType<typeof inputOf>; prefix: string }> = []
    const seen = new Set<string>()
    candidate.runs!.forEach((run, position) => {
      const prefix = `/runs/${position}`
      errors.push(...runIdErrors(run.runId, 'body', `${prefix}/runId`))
      if (seen.has(run.runId)) {
        errors.push({ in: 'body', pointer: `${prefix}/runId`, code: 'RUN_ID_DUPLICATE', detail: `${run.runId} is given twice for this offer` })
        return
      }
      seen.add(run.runId)
      const columns = runColumns(inputOf(run))
      const existing = current.get(run.runId)
      if (existing?.contentHash === columns.contentHash) {
        planned.unchanged++
        return
      }
      checked.push({ run: inputOf(run), prefix })
      if (existing) planned.updates.push({ id: existing.id, columns })
      else planned.inserts.push({ runId: run.runId, columns })
    })
    for (const existing of current.values()) if (!seen.has(existing.runId)) planned.deletes.push(existing)
    errors.push(...(await runErrors(tx, checked, { participation: candidate.participation ? [...candidate.participation] : null })).flat())
    if (errors.length > 0) plan.errors.set(candidate.index, errors)
    plan.offers.push(planned)
  }
  return plan
}

/** What the plan does, as a summary counts it. */
export function runCounts(plan: RunsPlan): RunSyncCounts {
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 }
  for (const offer of plan.offers) {
    counts.created += offer.inserts.length
    counts.updated += offer.updates.length
    counts.unchanged += offer.unchanged
    counts.deleted += offer.deletes.length
  }
  return counts
}

/** Writes the plan's runs, each offer's after the offer itself (`offers`: each as written, by externalId); returns the feed entries. */
export async function applyRuns(
  tx: Executor,
  plan: RunsPlan,
  offers: ReadonlyMap<string, Pick<RunOfferRow, 'id' | 'institutionSchac' | 'status' | 'publishedAt'>>,
  now: Date,
): Promise<ChangeEntry[]> {
  const feed: ChangeEntry[] = []
  for (const planned of plan.offers) {
    const offer = offers.get(planned.externalId)!
    const inserted = await runsRepository.insertMany(
      tx,
      planned.inserts.map((insert) => ({ offerId: offer.id, institution: offer.institutionSchac, runId: insert.runId, columns: insert.columns })),
      now,
    )
    feed.push(...runChanges(inserted, 'created', offer))
    const updated = []
    for (const update of planned.updates) updated.push(await runsRepository.update(tx, update.id, update.columns, now))
    feed.push(...runChanges(updated, 'updated', offer))
    await runsRepository.delete(tx, planned.deletes.map((run) => run.id))
    feed.push(...runChanges(planned.deletes.map((run) => ({ ...run, institutionSchac: offer.institutionSchac })), 'deleted', offer))
  }
  return feed
}
