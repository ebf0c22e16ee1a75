import type { Executor } from '../../db/client.js'
import { Errors, withExtensions, withFieldErrors, type FieldError } from '../../errors.js'
import { createOrReplace } from '../../lib/create-or-replace.js'
import type { Preconditions } from '../../lib/preconditions.js'
import { registryLookups } from '../registry/index.js'
import { awardingRepository } from './awarding-repository.js'
import {
  isSameContent,
  namedInstitutions,
  possibleIssuerCountries,
  surroundingsOf,
  type InstitutionContext,
  type StoredContent,
  type SurroundingFields,
} from './content.js'
import { createTransition, isRefusal, writeTransition, type OfferEvent, type Transition } from './lifecycle.js'
import { offerEtag } from './mappers.js'
import { offerProblem, type PreparedOffer } from './preparation.js'
import { catalogueRepository as offersRepository, type OfferRow, type PreparedContent } from './repository.js'
import type { OfferContent } from './schemas.js'
import { isVisible } from './visibility.js'

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

/** The writing institution as of now, held until the write ends (see registryLookups.writerContext). */
export async function institutionContext(db: Executor, schac: string): Promise<InstitutionContext> {
  const context = await registryLookups.writerContext(db, schac)
  if (context === undefined) throw Errors.notFound(`No institution ${schac}`)
  return { schac, ...context }
}

/** What a batch of offers refers to outside itself, looked up once for the batch. */
export interface References {
  /** The country of each registered institution the offers name as awarding body. */
  countries: Map<string, string>
  /** The reference errors of each offer, in order. */
  errors: FieldError[][]
}

/**
 * Checks what refers outside the offer, for a batch of offers at once: awarding bodies must
 * be registered, issuer countries those of a named body, and stackable targets offers the
 * writer may see (another institution's draft answers exactly as an id that does not exist).
 */
export async function checkReferences(db: Executor, contents: OfferContent[], context: InstitutionContext): Promise<References> {
  const schacs = new Set<string>()
  const offerIds = new Set<string>()
  for (const content of contents) {
    for (const body of content.awardingBodies ?? []) if ('schac' in body) schacs.add(body.schac)
    for (const target of content.stackability?.towards ?? []) if (target.offerId) offerIds.add(target.offerId)
  }
  const countries = await registryLookups.countriesOf(db, [...schacs])
  const visibleOffers = new Set(
    (await offersRepository.findStatesByIds(db, [...offerIds])).filter((offer) => isVisible(offer, { institution: context.schac })).map((offer) => offer.id),
  )
  const errors = contents.map((content) => {
    const errors: FieldError[] = []
    content.awardingBodies?.forEach((body, index) => {
      if ('schac' in body && !countries.has(body.schac)) {
        errors.push({ in: 'body', pointer: `/awardingBodies/${index}/schac`, detail: `no institution ${body.schac} is registered` })
      }
    })
    const possible = possibleIssuerCountries(content, context, countries)
    content.issuerCountries?.forEach((country, index) => {
      if (!possible.has(country)) {
        errors.push({
          in: 'body',
          pointer: `/issuerCountries/${index}`,
          code: 'ISSUER_COUNTRY_WITHOUT_BODY',
          detail: `${country} is the country of no awarding body of the offer (the provider, a named institution, or a body declared with that country)`,
        })
      }
    })
    content.stackability?.towards?.forEach((target, index) => {
      if (target.offerId && !visibleOffers.has(target.offerId)) {
        errors.push({ in: 'body', pointer: `/stackability/towards/${index}/offerId`, detail: `no offer ${target.offerId}` })
      }
    })
    return errors
  })
  return { countries, errors }
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
 * The content hash a write is compared by: the stored one when the new content says the same
 * as the stored (see isSameContent), so an unchanged re-send is no change.
 */
export function comparedHash(state: PreparedContent, stored: { contentHash: string; alliances?: string[] | null }): string {
  return isSameContent(state, stored) ? stored.contentHash : state.contentHash
}

/** Asks each registered institution an offer names (its provider aside) to confirm; answers given stand. */
export function awardingRequests(offerId: string, content: OfferContent, context: InstitutionContext, countries: ReadonlyMap<string, string>) {
  return namedInstitutions(content, context.schac)
    .filter((schac) => countries.has(schac))
    .map((institutionSchac) => ({ offerId, institutionSchac }))
}

/**
 * Writes a transition of an existing offer: its new state, and a new immutable version when
 * the content changed (or marks the current version published when only the status did).
 */
export async function applyTransition(
  tx: Executor,
  offerId: string,
  transition: Transition,
  written: { state: PreparedContent; surroundings: SurroundingFields },
  now: Date,
): Promise<OfferRow> {
  const row = await offersRepository.update(tx, offerId, { ...transition, now }, transition.newVersion ? written : undefined)
  const publishedNow = transition.status === 'published' ? now : null
  if (transition.newVersion) {
    await offersRepository.insertVersion(tx, { offerId, version: transition.version, publishedAt: publishedNow, now }, written.state)
  } else if (publishedNow) {
    await offersRepository.markVersionPublished(tx, offerId, row.version, publishedNow)
  }
  return row
}

export interface OfferWrite {
  schac: string
  externalId: string
  prepared: PreparedOffer
  context: InstitutionContext
  countries: ReadonlyMap<string, string>
  /** Why the content may not be written; an unchanged write succeeds all the same. */
  refusal: Error | undefined
}

/**
 * Writes one prepared offer in the caller's transaction: create, new version, status change,
 * or nothing at all when content and status are unchanged.
 */
export async function writeOffer(
  tx: Executor,
  { schac, externalId, prepared, context, countries, refusal }: OfferWrite,
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
        const surroundings = surroundingsOf(state.content, context, countries, undefined)
        const row = await offersRepository.insert(
          tx,
          { institution: schac, externalId, status: created.status, publishedAt: created.publishedAt, now },
          state,
          surroundings,
        )
        if (row) {
          transition = created
          await offersRepository.insertVersion(tx, { offerId: row.id, version: 1, publishedAt: created.publishedAt, now }, state)
          await awardingRepository.request(tx, awardingRequests(row.id, state.content, context, countries), now)
        }
        return row
      },
      findForUpdate: () => offersRepository.findByExternalId(tx, schac, externalId, true),
      etag: (row: OfferRow) => offerEtag(row),
      isUnchanged: (current) => {
        const stored = { contentHash: current.contentHash, alliances: (current.content as StoredContent).alliances }
        const next = writeTransition(current, { status: desiredStatus, contentHash: comparedHash(state, stored) }, now)
        if (isRefusal(next)) throw Errors.invalidTransition(next.detail)
        transition = next
        return transition === undefined
      },
      update: async (current) => {
        const answers = (await awardingRepository.answersOf(tx, [current.id])).get(current.id)
        const surroundings = surroundingsOf(state.content, context, countries, answers)
        const row = await applyTransition(tx, current.id, transition!, { state, surroundings }, now)
        if (transition!.newVersion) await awardingRepository.request(tx, awardingRequests(current.id, state.content, context, countries), now)
        return row
      },
    },
    preconditions,
  )
  return { row: result.row, created: result.created, changed: result.changed, events: result.changed ? transition!.events : [] }
}
