import type { Executor } from '../../db/client.js'
import type { Caller } from '../../lib/caller.js'
import { catalogueRepository, type OfferStatusRow, type OfferView } from './repository.js'
import { isVisible } from './visibility.js'

/** One version of an offer, as a recognition decision needs to know it. */
export interface OfferVersionSummary {
  number: number
  published: boolean
  ects: number | undefined
}

/** What other modules may ask of the catalogue, always as someone who may or may not see an offer. */
export const catalogueLookups = {
  /** The offer, when it exists and the viewer may see it. */
  async visibleOffer(db: Executor, id: string, viewer: Pick<Caller, 'institution'>): Promise<OfferView | undefined> {
    const offer = await catalogueRepository.findById(db, id)
    return offer && isVisible(offer, viewer) ? offer : undefined
  },

  /** A version of an offer (the latest published one when none is named). */
  async versionFacts(db: Executor, offerId: string, version: number | undefined): Promise<OfferVersionSummary | undefined> {
    const row =
      version === undefined
        ? await catalogueRepository.latestPublishedVersion(db, offerId)
        : await catalogueRepository.findVersion(db, offerId, version)
    return row && { number: row.version, published: row.publishedAt !== null, ects: row.content.ects }
  },

  /** Where each of these offers stands, for those the viewer may see. */
  async visibleStatuses(db: Executor, ids: string[], viewer: Pick<Caller, 'institution'>): Promise<OfferStatusRow[]> {
    return (await catalogueRepository.findStatesByIds(db, ids)).filter((offer) => isVisible(offer, viewer))
  },

  /** How many offers an institution has (withdrawn ones are kept for the record). */
  countOfInstitution: (db: Executor, schac: string): Promise<number> => catalogueRepository.countOfInstitution(db, schac),
}
