import type { Executor } from '../../db/client.js'
import { tryLockCatalogueForSync } from '../../db/locks.js'
import { Errors, withExtensions, withFieldErrors, withHeaders, type FieldError } from '../../errors.js'
import type { Actor } from '../../lib/actor.js'
import { journal } from '../audit/service.js'
import type { ChangeEntry } from '../changes/repository.js'
import { createTransition, withdrawTransition, writeTransition, type Transition } from './lifecycle.js'
import { createCatalogueRepository, type OfferRow, type SyncedOffer } from './repository.js'
import type { InvalidSyncOffer, SyncItem, SyncRequest, SyncSummary } from './schemas.js'
import {
  applyTransition,
  assertActsFor,
  institutionContext,
  offerChanges,
  offerProblem,
  prepareOffer,
  referenceErrors,
  type PreparedOffer,
} from './service.js'

const offersRepository = createCatalogueRepository()

export interface SyncOptions {
  dryRun: boolean
  /** Offers that already failed schema validation, by index, with their errors. */
  schemaErrors: ReadonlyMap<number, FieldError[]>
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
}

function atIndex(index: number, errors: FieldError[]): FieldError[] {
  return errors.map((error) => ({ ...error, pointer: `/offers/${index}${error.pointer}` }))
}

function item(offer: { externalId: string; id: string | null; version: number | null }): SyncItem {
  return { externalId: offer.externalId, id: offer.id, version: offer.version }
}

/**
 * Brings an institution's catalogue in line with its own system in one transaction:
 * everything is checked first, and every offer is written or none is. Unchanged offers are
 * compared by content hash and not touched. Runs in the caller's transaction.
 */
export async function syncCatalogue(
  tx: Executor,
  actor: Actor,
  schac: string,
  request: SyncRequest,
  options: SyncOptions,
): Promise<SyncSummary> {
  assertActsFor(actor.institution, schac)
  if (!(await tryLockCatalogueForSync(tx, schac))) {
    throw withHeaders(Errors.catalogueBusy(`Another sync of ${schac} is running; retry when it has finished`), {
      'retry-after': '5',
    })
  }
  const context = await institutionContext(tx, schac)
  const invalid: InvalidSyncOffer[] = []
  const reject = (index: number, code: string, errors: FieldError[]) =>
    invalid.push({ index, externalId: request.offers[index]?.externalId ?? null, code, errors: atIndex(index, errors) })

  const seen = new Map<string, number>()
  const candidates: Array<{ index: number; externalId: string; prepared: PreparedOffer }> = []
  request.offers.forEach((offer, index) => {
    const schemaErrors = options.schemaErrors.get(index)
    if (schemaErrors) return reject(index, 'VALIDATION_FAILED', schemaErrors)
    const first = seen.get(offer.externalId)
    if (first !== undefined) {
      return reject(index, 'DUPLICATE_EXTERNAL_ID', [
        { in: 'body', pointer: '/externalId', detail: `${offer.externalId} is also offer ${first} of this sync` },
      ])
    }
    seen.set(offer.externalId, index)
    const { externalId, ...input } = offer
    candidates.push({ index, externalId, prepared: prepareOffer(input, context) })
  })

  const references = await referenceErrors(tx, candidates.map((c) => c.prepared.state.content), context)
  const existing = new Map((await offersRepository.lockInstitutionOffers(tx, schac)).map((row) => [row.externalId, row]))
  const now = new Date()
  const plan: Plan = { creates: [], writes: [], unchanged: [], withdrawals: [] }

  candidates.forEach(({ index, externalId, prepared }, position) => {
    const problem = offerProblem(prepared, references[position]!)
    if (problem) return reject(index, problem.code, problem.errors)
    const current = existing.get(externalId)
    if (!current) {
      plan.creates.push({ externalId, prepared, transition: createTransition(prepared.desiredStatus, now) })
      return
    }
    try {
      const transition = writeTransition(current, { status: prepared.desiredStatus, contentHash: prepared.state.contentHash }, now)
      if (transition) plan.writes.push({ externalId, prepared, existing: current, transition })
      else plan.unchanged.push(current)
    } catch (error) {
      reject(index, (error as { code: string }).code, [{ in: 'body', pointer: '/status', detail: (error as Error).message }])
    }
  })

  if (invalid.length > 0) {
    invalid.sort((a, b) => a.index - b.index)
    throw withExtensions(
      withFieldErrors(
        Errors.syncRejected(`${invalid.length} of ${request.offers.length} offers are invalid; nothing was written`),
        invalid.flatMap((offer) => offer.errors),
      ),
      { invalidOffers: invalid },
    )
  }

  if (request.mode === 'replace') {
    for (const current of existing.values()) {
      if (seen.has(current.externalId) || current.status !== 'published') continue
      plan.withdrawals.push({ existing: current, transition: withdrawTransition(current, now)! })
    }
  }

  if (options.dryRun) {
    return {
      mode: request.mode,
      dryRun: true,
      created: plan.creates.map((c) => item({ externalId: c.externalId, id: null, version: 1 })),
      updated: plan.writes.map((w) => item({ externalId: w.externalId, id: w.existing.id, version: w.transition.version })),
      unchanged: plan.unchanged.map((u) => item(u)),
      withdrawn: plan.withdrawals.map((w) => item(w.existing)),
    }
  }
  return applyPlan(tx, actor, schac, request.mode, plan, now)
}

async function applyPlan(tx: Executor, actor: Actor, schac: string, mode: SyncRequest['mode'], plan: Plan, now: Date): Promise<SyncSummary> {
  const feed: ChangeEntry[] = []

  const created = await offersRepository.insertMany(
    tx,
    schac,
    plan.creates.map((c) => ({ externalId: c.externalId, status: c.transition.status, publishedAt: c.transition.publishedAt, state: c.prepared.state })),
    now,
  )
  const createdByExternalId = new Map(created.map((row) => [row.externalId, row]))
  await offersRepository.insertVersions(
    tx,
    plan.creates.map((c) => ({
      offerId: createdByExternalId.get(c.externalId)!.id,
      version: 1,
      publishedAt: c.transition.publishedAt,
      state: c.prepared.state,
    })),
    now,
  )
  for (const c of plan.creates) feed.push(...offerChanges(createdByExternalId.get(c.externalId)!, c.transition.events))

  const updated: OfferRow[] = []
  for (const { transition, existing, prepared } of plan.writes) {
    const row = await applyTransition(tx, existing.id, transition, prepared.state, now)
    updated.push(row)
    feed.push(...offerChanges(row, transition.events))
  }

  const withdrawn: OfferRow[] = []
  for (const { existing, transition } of plan.withdrawals) {
    const row = await offersRepository.update(tx, existing.id, { ...transition, now }, undefined)
    withdrawn.push(row)
    feed.push(...offerChanges(row, transition.events))
  }

  const summary: SyncSummary = {
    mode,
    dryRun: false,
    created: created.map((row) => item(row)),
    updated: updated.map((row) => item(row)),
    unchanged: plan.unchanged.map((row) => item(row)),
    withdrawn: withdrawn.map((row) => item(row)),
  }
  const counts = { created: created.length, updated: updated.length, unchanged: plan.unchanged.length, withdrawn: withdrawn.length }
  await journal(tx, actor, now, [{ action: 'offers.synced', objectType: 'catalogue', objectId: schac, details: { mode, ...counts } }], feed)
  return summary
}
