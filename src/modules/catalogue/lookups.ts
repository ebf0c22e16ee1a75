import type { Executor } from '../../db/client.js'
import type { Caller } from '../../lib/caller.js'
import { catalogueRepository, type OfferStatusRow, type OfferView } from './repository.js'
import type { OfferContent } from './schemas.js'
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

  /** When each published version of an offer was published, in version order (what was in force when). */
  async publicationDates(db: Executor, offerId: string): Promise<Array<{ number: number; publishedAt: Date }>> {
    return (await catalogueRepository.publicationDates(db, offerId)).map((row) => ({ number: row.version, publishedAt: row.publishedAt }))
  },

  /**
   * The contents of these versions of offers, keyed `offerId/version`, in one query: to compare
   * versions. Only for offers the caller may see (found through `visibleStatuses`).
   */
  async versionContents(db: Executor, wanted: ReadonlyArray<{ offerId: string; version: number }>): Promise<Map<string, OfferContent>> {
    const rows = await catalogueRepository.versionContents(db, wanted)
    return new Map(rows.map((row) => [`${row.offerId}/${row.version}`, row.content]))
  },

  /** Where each of these offers stands, for those the viewer may see. */
  async visibleStatuses(db: Executor, ids: string[], viewer: Pick<Caller, 'institution'>): Promise<OfferStatusRow[]> {
    return (await catalogueRepository.findStatesByIds(db, ids)).filter((offer) => isVisible(offer, viewer))
  },

  /** How many offers an institution has (withdrawn ones are kept for the record). */
  countOfInstitution: (db: Executor, schac: string): Promise<number> => catalogueRepository.countOfInstitution(db, schac),
}
