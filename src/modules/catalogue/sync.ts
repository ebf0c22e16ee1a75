import { tryLockCatalogueForSync } from '../../db/locks.js'
import type { Executor } from '../../db/client.js'
import { Errors, withExtensions, withFieldErrors, withHeaders, type FieldError } from '../../errors.js'
import type { ChangeEntry, Write } from '../journal/index.js'
import { awardingRepository } from './awarding-repository.js'
import { surroundingsOf, type InstitutionContext } from './content.js'
import { offerChanges } from './events.js'
import { createTransition, isRefusal, withdrawTransition, writeTransition, type Transition } from './lifecycle.js'
import { offerProblem, prepareOffer, type PreparedOffer } from './preparation.js'
import { catalogueRepository as offersRepository, type OfferRow, type SyncedOffer } from './repository.js'
import { externalIdErrors } from './rules.js'
import type { SyncRun } from './runs-schemas.js'
import { applyRuns, planRuns, runCounts, type RunsPlan } from './runs-sync.js'
import type { SyncItem, SyncRequest, SyncSummary } from './schemas.js'
import { SyncProblems } from './sync-problems.js'
import { applyTransition, assertActsFor, awardingRequests, checkReferences, comparedHash, institutionContext } from './writes.js'

export interface SyncOptions {
  dryRun: boolean
  /** The offers that failed schema validation (see checkOfferSchemas). */
  schemaProblems: SyncProblems
}

/** Validates one offer against its schema: undefined when valid, else its errors (pointers into it). */
export type OfferValidator = (offer: unknown) => FieldError[] | undefined

/** Offers validated between two turns of the event loop. */
const VALIDATION_CHUNK = 100

function externalIdOf(offer: unknown): string | null {
  const externalId = (offer as { externalId?: unknown } | null)?.externalId
  return typeof externalId === 'string' ? externalId : null
}

/**
 * Schema validation of a sync's offers, one chunk at a time with a turn of the event loop
 * between chunks: 10,000 offers full of errors must not stall every other request while they
 * are checked (one synchronous validation of such a body once blocked the process for 22 s).
 */
export async function checkOfferSchemas(offers: readonly unknown[], validate: OfferValidator): Promise<SyncProblems> {
  const problems = new SyncProblems()
  for (let start = 0; start < offers.length; start += VALIDATION_CHUNK) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve))
    for (let index = start; index < Math.min(offers.length, start + VALIDATION_CHUNK); index++) {
      const errors = validate(offers[index])
      if (errors) problems.add(index, externalIdOf(offers[index]), 'VALIDATION_FAILED', errors.length, () => errors)
    }
  }
  return problems
}

interface PlannedWrite {
  externalId: string
  prepared: PreparedOffer
  existing: SyncedOffer
  transition: Transition
}

interface Plan {
  creates: Array<{ externalId: string; prepared: PreparedOffer; transition: Transition }>
  writes: PlannedWrite[]
  unchanged: SyncedOffer[]
  withdrawals: Array<{ existing: SyncedOffer; transition: Transition }>
  /** The country of each registered institution the offers name as awarding body. */
  countries: ReadonlyMap<string, string>
  runs: RunsPlan
}

function item(offer: { externalId: string; id: string | null; version: number | null }): SyncItem {
  return { externalId: offer.externalId, id: offer.id, version: offer.version }
}

/** The offers of a sync, each with its problems or prepared for writing. */
class SyncCheck {
  /** Index in the request of each externalId seen. */
  readonly seen = new Map<string, number>()
  readonly candidates: Array<{ index: number; externalId: string; prepared: PreparedOffer; runs?: SyncRun[] }> = []

  constructor(
    private readonly request: SyncRequest,
    private readonly problems: SyncProblems,
  ) {}

  reject(index: number, code: string, errors: FieldError[]): void {
    this.problems.add(index, this.request.offers[index]?.externalId ?? null, code, errors.length, () => errors)
  }

  /** 422 SYNC_REJECTED listing the invalid offers (the first problems in full, then counts), if there is one. */
  assertValid(): void {
    if (this.problems.size === 0) return
    const { errors, ...report } = this.problems.report()
    const listed = report.truncated ? `; the first ${errors.length} errors are listed, the rest counted` : ''
    throw withExtensions(
      withFieldErrors(Errors.syncRejected(`${this.problems.size} of ${this.request.offers.length} offers are invalid; nothing was written${listed}`), errors),
      report,
    )
  }
}

/** Pure checks of each offer on its own: schema errors, duplicate ids, then preparation. */
function prepareOffers(request: SyncRequest, options: SyncOptions, context: InstitutionContext): SyncCheck {
  const check = new SyncCheck(request, options.schemaProblems)
  request.offers.forEach((offer, index) => {
    if (options.schemaProblems.has(index)) return
    const first = check.seen.get(offer.externalId)
    if (first !== undefined) {
      return check.reject(index, 'DUPLICATE_EXTERNAL_ID', [
        { in: 'body', pointer: '/externalId', detail: `${offer.externalId} is also offer ${first} of this sync` },
      ])
    }
    check.seen.set(offer.externalId, index)
    const { externalId, runs, ...input } = offer
    check.candidates.push({ index, externalId, prepared: prepareOffer(input, context), runs })
  })
  return check
}

/**
 * What the sync will do to each offer, given what the institution has now (locked). An offer
 * identical to what is stored is unchanged, whatever rules were made since; the others are
 * checked (content, references, id) and written, or the sync is refused.
 */
async function planSync(tx: Executor, schac: string, request: SyncRequest, check: SyncCheck, context: InstitutionContext, now: Date): Promise<Plan> {
  const references = await checkReferences(tx, check.candidates.map((c) => c.prepared.state.content), context)
  const existing = new Map((await offersRepository.lockInstitutionOffers(tx, schac)).map((row) => [row.externalId, row]))
  const differing = check.candidates.flatMap(({ externalId, prepared }) => {
    const current = existing.get(externalId)
    return current && current.contentHash !== prepared.state.contentHash ? [current.id] : []
  })
  const storedAlliances = await offersRepository.storedAlliances(tx, differing)
  const runs = await planRuns(
    tx,
    check.candidates.map(({ index, externalId, prepared, runs }) => ({ index, externalId, runs, participation: prepared.state.content.participation })),
    new Map([...existing.values()].map((row) => [row.externalId, row.id])),
  )
  const plan: Plan = { creates: [], writes: [], unchanged: [], withdrawals: [], countries: references.countries, runs }

  check.candidates.forEach(({ index, externalId, prepared }, position) => {
    const current = existing.get(externalId)
    const runErrors = runs.errors.get(index) ?? []
    let transition: Transition | undefined
    if (current) {
      const stored = { contentHash: current.contentHash, alliances: storedAlliances.get(current.id) }
      const next = writeTransition(current, { status: prepared.desiredStatus, contentHash: comparedHash(prepared.state, stored) }, now)
      if (isRefusal(next)) return check.reject(index, next.refused, [{ in: 'body', pointer: '/status', detail: next.detail }, ...runErrors])
      if (!next) {
        if (runErrors.length > 0) return check.reject(index, 'INVALID_RUN', runErrors)
        plan.unchanged.push(current)
        return
      }
      transition = next
    }
    const problem = offerProblem(prepared, [...externalIdErrors(externalId, 'body'), ...references.errors[position]!])
    if (problem) return check.reject(index, problem.code, [...problem.errors, ...runErrors])
    if (runErrors.length > 0) return check.reject(index, 'INVALID_RUN', runErrors)
    if (current) plan.writes.push({ externalId, prepared, existing: current, transition: transition! })
    else plan.creates.push({ externalId, prepared, transition: createTransition(prepared.desiredStatus, now) })
  })
  check.assertValid()

  if (request.mode === 'replace') {
    for (const current of existing.values()) {
      if (check.seen.has(current.externalId) || current.status !== 'published') continue
      plan.withdrawals.push({ existing: current, transition: withdrawTransition(current, now)! })
    }
  }
  return plan
}

/** What a dry run reports: the plan, as the summary of a real run would state it. */
function dryRunSummary(mode: SyncRequest['mode'], plan: Plan): SyncSummary {
  return {
    mode,
    dryRun: true,
    created: plan.creates.map((c) => item({ externalId: c.externalId, id: null, version: 1 })),
    updated: plan.writes.map((w) => item({ externalId: w.externalId, id: w.existing.id, version: w.transition.version })),
    unchanged: plan.unchanged.map((u) => item(u)),
    withdrawn: plan.withdrawals.map((w) => item(w.existing)),
    runs: runCounts(plan.runs),
  }
}

/**
 * Brings an institution's catalogue in line with its own system in one transaction:
 * everything is checked first, and every offer is written or none is. Unchanged offers are
 * compared by content hash and not touched.
 */
export async function syncCatalogue(write: Write, schac: string, request: SyncRequest, options: SyncOptions): Promise<SyncSummary> {
  const { tx, actor } = write
  assertActsFor(actor.institution, schac)
  if (!(await tryLockCatalogueForSync(tx, schac))) {
    throw withHeaders(Errors.catalogueBusy(`Another sync of ${schac} is running; retry when it has finished`), {
      'retry-after': '5',
    })
  }
  const context = await institutionContext(tx, schac)
  const check = prepareOffers(request, options, context)
  const now = new Date()
  const plan = await planSync(tx, schac, request, check, context, now)
  return options.dryRun ? dryRunSummary(request.mode, plan) : applyPlan(write, context, request.mode, plan, now)
}

async function applyPlan(
  { tx, record }: Write,
  context: InstitutionContext,
  mode: SyncRequest['mode'],
  plan: Plan,
  now: Date,
): Promise<SyncSummary> {
  const { schac } = context
  const feed: ChangeEntry[] = []

  const created = await offersRepository.insertMany(
    tx,
    schac,
    plan.creates.map((c) => ({
      externalId: c.externalId,
      status: c.transition.status,
      publishedAt: c.transition.publishedAt,
      state: c.prepared.state,
      surroundings: surroundingsOf(c.prepared.state.content, context, plan.countries, undefined),
    })),
    now,
  )
  const createdByExternalId = new Map(created.map((row) => [row.externalId, row]))
  for (const c of plan.creates) feed.push(...offerChanges(createdByExternalId.get(c.externalId)!, c.transition.events))
  const requests = plan.creates.flatMap((c) => awardingRequests(createdByExternalId.get(c.externalId)!.id, c.prepared.state.content, context, plan.countries))

  const updated: OfferRow[] = []
  const answers = await awardingRepository.answersOf(tx, plan.writes.filter((w) => w.transition.newVersion).map((w) => w.existing.id))
  for (const { transition, existing, prepared } of plan.writes) {
    const { content } = prepared.state
    const surroundings = surroundingsOf(content, context, plan.countries, answers.get(existing.id))
    const row = await applyTransition(tx, existing.id, transition, { state: prepared.state, surroundings }, now)
    updated.push(row)
    feed.push(...offerChanges(row, transition.events))
    if (transition.newVersion) requests.push(...awardingRequests(existing.id, content, context, plan.countries))
  }
  await awardingRepository.request(tx, requests, now)

  const withdrawn: OfferRow[] = []
  for (const { existing, transition } of plan.withdrawals) {
    const row = await offersRepository.update(tx, existing.id, { ...transition, now }, undefined)
    withdrawn.push(row)
    feed.push(...offerChanges(row, transition.events))
  }

  // Each offer's runs after the offer, with the visibility it has after the sync.
  const written = new Map<string, Pick<OfferRow, 'id' | 'institutionSchac' | 'status' | 'publishedAt'>>()
  for (const row of plan.unchanged) written.set(row.externalId, { ...row, institutionSchac: schac })
  for (const row of [...created, ...updated]) written.set(row.externalId, row)
  feed.push(...(await applyRuns(tx, plan.runs, written, now)))

  const summary: SyncSummary = {
    mode,
    dryRun: false,
    created: created.map((row) => item(row)),
    updated: updated.map((row) => item(row)),
    unchanged: plan.unchanged.map((row) => item(row)),
    withdrawn: withdrawn.map((row) => item(row)),
    runs: runCounts(plan.runs),
  }
  const counts = { created: created.length, updated: updated.length, unchanged: plan.unchanged.length, withdrawn: withdrawn.length, runs: summary.runs }
  record({ at: now, audit: [{ action: 'offers.synced', objectType: 'catalogue', objectId: schac, details: { mode, ...counts } }], changes: feed })
  return summary
}
