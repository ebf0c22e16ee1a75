import type { Database } from '../../db/client.js'
import { Errors, withExtensions } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import { checkExportReadiness, createCatalogueService } from '../catalogue/index.js'
import { createRegistryService } from '../registry/index.js'
import type { ExportedOrganisation, ExportSource } from './source.js'

export type ExportTarget = 'elm' | 'ob3'
const TARGET_NAMES: Record<ExportTarget, string> = { elm: 'ELM', ob3: 'Open Badges 3.0' }

/** Gathers what an export is made of; the mappers (elm.ts, ob3.ts) turn it into documents. */
export function createExportService(db: Database) {
  const catalogue = createCatalogueService(db)
  const registry = createRegistryService(db)

  async function organisation(schac: string): Promise<ExportedOrganisation> {
    const found = await registry.getInstitution(schac)
    // An offer's institution, and a co-awarding one that confirmed, cannot be removed from the registry.
    if (found === undefined) throw new Error(`institution ${schac} of an offer is not registered`)
    const { name, country, website } = found.resource
    return { schac, name, country, website }
  }

  return {
    /**
     * The offer (or one version of it) as an export source, when it states what the target
     * requires; else 422 EXPORT_NOT_READY with what is missing (as exportReadiness says).
     */
    async source(viewer: Caller, target: ExportTarget, baseUrl: string, id: string, version?: number): Promise<ExportSource> {
      const { institution, content, coAwarding } = await catalogue.getExportContent(viewer, id, version)
      const readiness = checkExportReadiness(content)[target]
      if (!readiness.ready) {
        throw withExtensions(
          Errors.exportNotReady(`The offer cannot be exported to ${TARGET_NAMES[target]} yet: ${readiness.missing.length} element(s) missing`),
          { missing: readiness.missing },
        )
      }
      return {
        uri: `${baseUrl}/v1/offers/${id}${version === undefined ? '' : `/versions/${version}`}`,
        institutionsUri: `${baseUrl}/v1/institutions/`,
        content,
        provider: await organisation(institution),
        coAwarding: await Promise.all(coAwarding.map(organisation)),
      }
    },
  }
}
