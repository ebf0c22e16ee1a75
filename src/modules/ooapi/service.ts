import type { Database } from '../../db/client.js'
import { Errors } from '../../errors.js'
import { createCatalogueService } from '../catalogue/index.js'
import { createRegistryService } from '../registry/index.js'
import { ooapiCourse, ooapiOffering, ooapiOrganization, ooapiPage, organizationId, type OoapiObject, type OoapiPage } from './mappers.js'
import type { RunSource } from './run-source.js'

/** Institutions read at a time while looking an organization up by its UUID. */
const SCAN_PAGE = 250

export interface PageRequest {
  pageSize: number
  pageNumber: number
}

/**
 * The OOAPI v5 view of the registry and the published catalogue. Runs come from a RunSource;
 * without one, every course has no offerings.
 */
export function createOoapiService(db: Database, runs: RunSource | undefined) {
  const catalogue = createCatalogueService(db)
  const registry = createRegistryService(db)
  const offsetOf = ({ pageSize, pageNumber }: PageRequest) => (pageNumber - 1) * pageSize

  async function publishedCourse(id: string) {
    const offer = await catalogue.findPublished(id)
    if (!offer) throw Errors.notFound(`No published course ${id}`)
    return offer
  }

  return {
    async organizations(page: PageRequest): Promise<OoapiPage<OoapiObject>> {
      // listInstitutions reads one more than asked: whether another page exists.
      const rows = await registry.listInstitutions({ offset: offsetOf(page), limit: page.pageSize })
      return ooapiPage(rows.map(ooapiOrganization), page.pageSize, page.pageNumber)
    },

    /** An organization by its UUID, derived from the SCHAC code: the registry is read in SCHAC order until it matches. */
    async organization(id: string): Promise<OoapiObject> {
      const wanted = id.toLowerCase()
      let after: string[] | undefined
      for (;;) {
        const rows = await registry.listInstitutions({ after, limit: SCAN_PAGE })
        const found = rows.slice(0, SCAN_PAGE).find((institution) => organizationId(institution.schac) === wanted)
        if (found) return ooapiOrganization(found)
        if (rows.length <= SCAN_PAGE) throw Errors.notFound(`No organization ${id}`)
        after = [rows[SCAN_PAGE - 1]!.schac]
      }
    },

    async courses(page: PageRequest): Promise<OoapiPage<OoapiObject>> {
      const offers = await catalogue.publishedAtOffset(offsetOf(page), page.pageSize + 1)
      return ooapiPage(offers.map(ooapiCourse), page.pageSize, page.pageNumber)
    },

    async course(id: string): Promise<OoapiObject> {
      return ooapiCourse(await publishedCourse(id))
    },

    async offeringsOfCourse(id: string, page: PageRequest): Promise<OoapiPage<OoapiObject>> {
      const offer = await publishedCourse(id)
      const rows = runs === undefined ? [] : await runs.listForOffer(offer.id, { offset: offsetOf(page), limit: page.pageSize + 1 })
      return ooapiPage(rows.map((run) => ooapiOffering(run, offer)), page.pageSize, page.pageNumber)
    },

    /** A run of a published offer; a run of a draft or withdrawn offer is as missing as an unknown one. */
    async offering(id: string): Promise<OoapiObject> {
      const run = await runs?.byId(id)
      const offer = run === undefined ? undefined : await catalogue.findPublished(run.offerId)
      if (run === undefined || offer === undefined) throw Errors.notFound(`No offering ${id}`)
      return ooapiOffering(run, offer)
    },
  }
}
