import type { Database, Executor } from '../../db/client.js'
import { lockCatalogueShared } from '../../db/locks.js'
import { Errors, withFieldErrors, type FieldError } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import { createOrReplace } from '../../lib/create-or-replace.js'
import { assertPreconditions, etagOf, type Preconditions } from '../../lib/preconditions.js'
import type { AuditEntry, ChangeAction, ChangeEntry, Write } from '../journal/index.js'
import { registryLookups } from '../registry/index.js'
import { runColumns, runsRepository, type RunOfferRow, type RunRow } from './runs-repository.js'
import { checkRunRules, isOpenForApplication, runIdErrors, todayUtc, unknownInstitutionErrors } from './runs-rules.js'
import type { Run, RunInput } from './runs-schemas.js'
import { isVisible } from './visibility.js'
import { assertActsFor } from './writes.js'

// Runs (offerings) of an offer: written by the offer's institution, read as the offer is.

export function toRun(row: RunRow, today: string): Run {
  const content = row.content
  return {
    id: row.id,
    offerId: row.offerId,
    runId: row.runId,
    institution: row.institutionSchac,
    startDate: content.startDate,
    endDate: content.endDate,
    application: content.application,
    places: content.places,
    language: content.language,
    mode: content.mode,
    location: content.location,
    fees: content.fees,
    enrolmentUrl: content.enrolmentUrl,
    eligibility: content.eligibility ?? { openTo: 'anyone' },
    openForApplication: isOpenForApplication(content, today),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function runEtag(row: Pick<RunRow, 'revision'>): string {
  return etagOf(row.revision)
}

/** Whether a run is public: as its offer (runs of a draft are the institution's alone). */
export function isPublicOffer(offer: Pick<RunOfferRow, 'status' | 'publishedAt'>): boolean {
  return offer.status === 'published' || (offer.status === 'withdrawn' && offer.publishedAt !== null)
}

/** Feed entries for what happened to runs; seen only by the institution while the offer is not public. */
export function runChanges(
  rows: ReadonlyArray<Pick<RunRow, 'id' | 'revision' | 'institutionSchac'>>,
  action: ChangeAction,
  offer: Pick<RunOfferRow, 'institutionSchac' | 'status' | 'publishedAt'>,
): ChangeEntry[] {
  const visibility = isPublicOffer(offer) ? {} : { visibleTo: [offer.institutionSchac] }
  return rows.map((row) => ({ type: 'run', id: row.id, action, version: row.revision, institution: row.institutionSchac, ...visibility }))
}

export function runAudit(row: Pick<RunRow, 'id' | 'revision' | 'runId' | 'offerId'>, action: string): AuditEntry {
  return { action, objectType: 'run', objectId: row.id, objectVersion: row.revision, details: { runId: row.runId, offerId: row.offerId } }
}

/** Every rule a run breaks, those needing the database included (the institutions it names). */
export async function runErrors(db: Executor, runs: ReadonlyArray<{ run: RunInput; prefix: string }>, offer: Pick<RunOfferRow, 'participation'>): Promise<FieldError[][]> {
  const named = [...new Set(runs.flatMap(({ run }) => run.eligibility?.institutions ?? []))]
  const registered = await registryLookups.existingInstitutions(db, named)
  return runs.map(({ run, prefix }) => [
    ...checkRunRules(run, { participation: offer.participation ?? undefined }, prefix),
    ...unknownInstitutionErrors(run, registered, prefix),
  ])
}

export interface WrittenRun {
  run: Run
  etag: string
  created: boolean
  /** Runs of an offer that is not public are private. */
  isPrivate: boolean
}

export function createRunsService(db: Database) {
  async function visibleOffer(viewer: Caller, offerId: string): Promise<RunOfferRow> {
    const offer = await runsRepository.offerById(db, offerId)
    if (!offer || !isVisible(offer, viewer)) throw Errors.notFound(`No offer ${offerId}`)
    return offer
  }

  async function heldOffer(write: Write, schac: string, externalId: string): Promise<RunOfferRow> {
    assertActsFor(write.actor.institution, schac)
    await lockCatalogueShared(write.tx, schac)
    const offer = await runsRepository.holdOffer(write.tx, schac, externalId)
    if (!offer) throw Errors.notFound(`No offer ${externalId} of ${schac}`)
    return offer
  }

  return {
    /** Creates or replaces a run of one of the institution's offers, by the provider's run id. */
    async putRun(write: Write, schac: string, externalId: string, runId: string, input: RunInput, preconditions: Preconditions): Promise<WrittenRun> {
      const { tx, record } = write
      const offer = await heldOffer(write, schac, externalId)
      const [errors] = await runErrors(tx, [{ run: input, prefix: '' }], offer)
      const allErrors = [...runIdErrors(runId, 'path'), ...errors!]
      // Checked only if the write changes something, as for offers: re-sending what is stored always succeeds.
      const refusal =
        offer.status === 'withdrawn'
          ? Errors.offerWithdrawn(`Offer ${externalId} is withdrawn: its runs can be deleted, not written`)
          : allErrors.length > 0
            ? withFieldErrors(Errors.invalidRun(`The run breaks ${allErrors.length} rule(s)`), allErrors)
            : undefined
      const columns = runColumns(input)
      const now = new Date()
      const result = await createOrReplace<RunRow>(
        {
          refusal,
          insert: () => runsRepository.insert(tx, { offerId: offer.id, institution: schac, runId, now }, columns),
          findForUpdate: () => runsRepository.find(tx, offer.id, runId, true),
          etag: runEtag,
          isUnchanged: (current) => current.contentHash === columns.contentHash,
          update: (current) => runsRepository.update(tx, current.id, columns, now),
        },
        preconditions,
      )
      if (result.changed) {
        const action = result.created ? 'created' : 'updated'
        record({ at: now, audit: [runAudit(result.row, `run.${action}`)], changes: runChanges([result.row], action, offer) })
      }
      return { run: toRun(result.row, todayUtc(now)), etag: runEtag(result.row), created: result.created, isPrivate: !isPublicOffer(offer) }
    },

    async deleteRun(write: Write, schac: string, externalId: string, runId: string, preconditions: Preconditions): Promise<void> {
      const offer = await heldOffer(write, schac, externalId)
      const current = await runsRepository.find(write.tx, offer.id, runId, true)
      assertPreconditions(preconditions, current === undefined ? undefined : runEtag(current))
      if (!current) throw Errors.notFound(`Offer ${externalId} of ${schac} has no run ${runId}`)
      await runsRepository.delete(write.tx, [current.id])
      write.record({ at: new Date(), audit: [runAudit(current, 'run.deleted')], changes: runChanges([current], 'deleted', offer) })
    },

    /** The runs of an offer the viewer may see, by start date. */
    async listRuns(viewer: Caller, offerId: string, after: readonly [string, string] | undefined, limit: number) {
      const offer = await visibleOffer(viewer, offerId)
      return { offer, rows: await runsRepository.listOfOffer(db, offerId, after, limit) }
    },

    async getRun(viewer: Caller, offerId: string, runId: string) {
      const offer = await visibleOffer(viewer, offerId)
      const row = await runsRepository.find(db, offerId, runId)
      if (!row) throw Errors.notFound(`Offer ${offerId} has no run ${runId}`)
      return { offer, row }
    },

    /**
     * The runs of a published offer, by start date, a page by number (the OOAPI view pages
     * so); none when the offer is a draft, withdrawn or does not exist.
     */
    async publicRunsAt(offerId: string, page: { offset: number; limit: number }): Promise<Run[]> {
      const offer = await runsRepository.offerById(db, offerId)
      if (offer?.status !== 'published') return []
      const today = todayUtc()
      return (await runsRepository.pageOfOffer(db, offerId, page.offset, page.limit)).map((row) => toRun(row, today))
    },

    /** A run of a published offer, by the service's id for it. */
    async publicRunById(id: string): Promise<Run | undefined> {
      const row = await runsRepository.findById(db, id)
      const offer = row && (await runsRepository.offerById(db, row.offerId))
      return row && offer?.status === 'published' ? toRun(row, todayUtc()) : undefined
    },

    /** A run by the service's id for it (where feed entries and webhooks point). */
    async getRunById(viewer: Caller, id: string) {
      const row = await runsRepository.findById(db, id)
      const offer = row && (await runsRepository.offerById(db, row.offerId))
      if (!row || !offer || !isVisible(offer, viewer)) throw Errors.notFound(`No run ${id}`)
      return { offer, row }
    },
  }
}

export type RunsService = ReturnType<typeof createRunsService>
