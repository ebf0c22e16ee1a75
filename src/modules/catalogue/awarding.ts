import type { Executor } from '../../db/client.js'
import { Errors } from '../../errors.js'
import type { CursorPosition } from '../../lib/cursor.js'
import type { Write } from '../journal/index.js'
import { registryLookups } from '../registry/index.js'
import { awardingRepository, type AwardingRequestRow } from './awarding-repository.js'
import { namedInstitutions, surroundingsOf } from './content.js'
import { offerChanges } from './events.js'
import { catalogueRepository as offersRepository } from './repository.js'
import type { AwardingAnswer, AwardingRequest } from './schemas.js'
import { isVisible } from './visibility.js'

/**
 * Co-awarding: an offer may name registered institutions as awarding bodies, and each of them
 * says, with its own key, whether it co-awards the offer. Until one confirms, the offer is
 * listed (issuer countries, filters) under its provider alone.
 */

export function toAwardingRequest(row: Omit<AwardingRequestRow, 'requestedAtText'>): AwardingRequest {
  return {
    offerId: row.offerId,
    offerInstitution: row.offerInstitution,
    externalId: row.externalId,
    ...(row.title ? { title: row.title } : {}),
    offerStatus: row.offerStatus,
    institution: row.institutionSchac,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  }
}

/** An institution sees only its own requests: another's are answered as if there were none. */
export function assertOwnRequests(viewer: string | null, schac: string): void {
  if (viewer !== schac) throw Errors.notFound(`No awarding requests of ${schac} are visible to this key`)
}

export async function listAwardingRequests(
  db: Executor,
  schac: string,
  filter: { status?: AwardingAnswer; after: CursorPosition | undefined; limit: number },
): Promise<AwardingRequestRow[]> {
  const after = filter.after && { requestedAt: String(filter.after[0]), offerId: String(filter.after[1]) }
  return awardingRepository.list(db, { institution: schac, status: filter.status, after, limit: filter.limit })
}

/**
 * Records the answer of the key's institution to an offer naming it. The offer then shows the
 * answer and is listed under the countries it makes count, without a new version; answering
 * as before changes nothing.
 */
export async function answerAwardingRequest(
  { tx, actor, record }: Write,
  offerId: string,
  schac: string,
  answer: Exclude<AwardingAnswer, 'pending'>,
): Promise<AwardingRequest> {
  if (actor.institution !== schac) {
    throw Errors.forbidden(actor.institution === null ? 'Only a client of the institution can answer for it' : `This key acts for ${actor.institution}; it cannot answer for ${schac}`)
  }
  // Locked, so the provider's writes and other answers to this offer wait for this one.
  const offer = await offersRepository.findByIdForUpdate(tx, offerId)
  if (!offer || !isVisible(offer, { institution: schac }) || !namedInstitutions(offer.content, offer.institutionSchac).includes(schac)) {
    throw Errors.notFound(`No offer ${offerId} names ${schac} as awarding body`)
  }
  const current = await awardingRepository.find(tx, offerId, schac)
  const requested = (row: { requestedAt: Date; decidedAt: Date | null; status: AwardingAnswer }) => ({
    ...row,
    offerId,
    institutionSchac: schac,
    offerInstitution: offer.institutionSchac,
    externalId: offer.externalId,
    offerStatus: offer.status,
    title: offer.content.title ?? null,
  })
  if (current?.status === answer) return toAwardingRequest(requested(current))

  const now = new Date()
  const answered = await awardingRepository.answer(tx, offerId, schac, answer, now)
  const provider = await registryLookups.institutionCountry(tx, offer.institutionSchac)
  const countries = await registryLookups.countriesOf(tx, namedInstitutions(offer.content, offer.institutionSchac))
  const answers = (await awardingRepository.answersOf(tx, [offerId])).get(offerId)
  const context = { schac: offer.institutionSchac, country: provider!, alliances: offer.alliances }
  const { issuerCountries } = surroundingsOf(offer.content, context, countries, answers)
  const row = await offersRepository.setIssuerCountries(tx, offerId, issuerCountries, now)
  record({
    at: now,
    audit: [
      {
        action: `awarding.${answer}`,
        objectType: 'offer',
        objectId: offerId,
        objectVersion: row.version,
        details: { offerInstitution: offer.institutionSchac, previous: current?.status ?? 'pending', issuerCountries },
      },
    ],
    changes: offerChanges(row, ['awarding_changed']),
  })
  return toAwardingRequest(requested(answered))
}
