import type { Executor } from '../../db/client.js'
import { Errors, withExtensions, withFieldErrors, type FieldError } from '../../errors.js'
import { createOrReplace } from '../../lib/create-or-replace.js'
import type { Preconditions } from '../../lib/preconditions.js'
import { registryLookups } from '../registry/index.js'
import type { InstitutionContext } from './content.js'
import { createTransition, isRefusal, writeTransition, type OfferEvent, type Transition } from './lifecycle.js'
import { offerEtag } from './mappers.js'
import { offerProblem, type PreparedOffer } from './preparation.js'
import { catalogueRepository as offersRepository, type OfferRow, type PreparedContent } from './repository.js'
import type { OfferContent } from './schemas.js'

// The steps of writing offers, shared by single-offer writes and the bulk sync.

/** The acting institution comes from the credential: it may only write its own catalogue. */
export function assertActsFor(acting: string | null, schac: string): void {
  if (acting !== schac) {
    throw Errors.forbidden(
      acting === null
        ? 'Only a client of the institution can write its offers'
        : `This key acts for ${acting}; it cannot write offers of ${schac}`,
    )
  }
}

export async function institutionContext(db: Executor, schac: string): Promise<InstitutionContext> {
  const country = await registryLookups.institutionCountry(db, schac)
  if (country === undefined) throw Errors.notFound(`No institution ${schac}`)
  const alliances = await registryLookups.alliancesOf(db, [schac])
  return { schac, country, alliances: alliances.get(schac) ?? [] }
}

/**
 * Checks what refers outside the offer, for a batch of offers at once: awarding bodies must
 * be registered, alliances the institution's own, stackable targets existing offers.
 * Returns the errors of each offer, in order.
 */
export async function referenceErrors(db: Executor, contents: OfferContent[], context: InstitutionContext): Promise<FieldError[][]> {
  const schacs = new Set<string>()
  const offerIds = new Set<string>()
  for (const content of contents) {
    for (const body of content.awardingBodies ?? []) if ('schac' in body) schacs.add(body.schac)
    for (const target of content.stackability?.towards ?? []) if (target.offerId) offerIds.add(target.offerId)
  }
  const registered = await registryLookups.existingInstitutions(db, [...schacs])
  const existingOffers = await offersRepository.existingIds(db, [...offerIds])
  return contents.map((content) => {
    const errors: FieldError[] = []
    content.awardingBodies?.forEach((body, index) => {
      if ('schac' in body && !registered.has(body.schac)) {
        errors.push({ in: 'body', pointer: `/awardingBodies/${index}/schac`, detail: `no institution ${body.schac} is registered` })
      }
    })
    content.alliances?.forEach((slug, index) => {
      if (!context.alliances.includes(slug)) {
        errors.push({ in: 'body', pointer: `/alliances/${index}`, detail: `${context.schac} is not a member of ${slug}` })
      }
    })
    content.stackability?.towards?.forEach((target, index) => {
      if (target.offerId && !existingOffers.has(target.offerId)) {
        errors.push({ in: 'body', pointer: `/stackability/towards/${index}/offerId`, detail: `no offer ${target.offerId}` })
      }
    })
    return errors
  })
}

/**
 * Why a prepared offer may not be written, if it may not: 422 INVALID_OFFER or
 * OFFER_INCOMPLETE with every failing field. Thrown only when the write would change
 * something (see createOrReplace).
 */
export function refusalOf(prepared: PreparedOffer, errors: FieldError[]): Error | undefined {
  const problem = offerProblem(prepared, errors)
  if (!problem) return undefined
  const error =
    problem.code === 'INVALID_OFFER'
      ? Errors.invalidOffer(`The offer breaks ${problem.errors.length} rule(s)`)
      : Errors.offerIncomplete(
          `A published offer states every mandatory Annex I element; ${problem.missing!.length} missing (save it as a draft meanwhile)`,
        )
  return withExtensions(withFieldErrors(error, problem.errors), problem.missing ? { missing: problem.missing } : {})
}

/**
 * Writes a transition of an existing offer: its new state, and a new immutable version when
 * the content changed (or marks the current version published when only the status did).
 */
export async function applyTransition(
  tx: Executor,
  offerId: string,
  transition: Transition,
  state: PreparedContent,
  now: Date,
): Promise<OfferRow> {
  const row = await offersRepository.update(tx, offerId, { ...transition, now }, transition.newVersion ? state : undefined)
  const publishedNow = transition.status === 'published' ? now : null
  if (transition.newVersion) {
    await offersRepository.insertVersion(tx, { offerId, version: transition.version, publishedAt: publishedNow, now }, state)
  } else if (publishedNow) {
    await offersRepository.markVersionPublished(tx, offerId, row.version, publishedNow)
  }
  return row
}

/**
 * Writes one prepared offer in the caller's transaction: create, new version, status change,
 * or nothing at all when content and status are unchanged.
 */
export async function writeOffer(
  tx: Executor,
  schac: string,
  externalId: string,
  prepared: PreparedOffer,
  /** Why the content may not be written; an unchanged write succeeds all the same. */
  refusal: Error | undefined,
  preconditions: Preconditions,
  now: Date,
): Promise<{ row: OfferRow; created: boolean; changed: boolean; events: OfferEvent[] }> {
  const { state, desiredStatus } = prepared
  let transition: Transition | undefined
  const result = await createOrReplace(
    {
      refusal,
      insert: async () => {
        const created = createTransition(desiredStatus, now)
        const row = await offersRepository.insert(
          tx,
          { institution: schac, externalId, status: created.status, publishedAt: created.publishedAt, now },
          state,
        )
        if (row) {
          transition = created
          await offersRepository.insertVersion(tx, { offerId: row.id, version: 1, publishedAt: created.publishedAt, now }, state)
        }
        return row
      },
      findForUpdate: () => offersRepository.findByExternalId(tx, schac, externalId, true),
      etag: (row: OfferRow) => offerEtag(row),
      isUnchanged: (current) => {
        const next = writeTransition(current, { status: desiredStatus, contentHash: state.contentHash }, now)
        if (isRefusal(next)) throw Errors.invalidTransition(next.detail)
        transition = next
        return transition === undefined
      },
      update: (current) => applyTransition(tx, current.id, transition!, state, now),
    },
    preconditions,
  )
  return { row: result.row, created: result.created, changed: result.changed, events: result.changed ? transition!.events : [] }
}

