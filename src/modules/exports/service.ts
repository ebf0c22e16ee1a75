import type { Database } from '../../db/client.js'
import { Errors, withExtensions } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import type { ElmVersion } from '../../config.js'
import { checkExportReadiness, createCatalogueService, type ExportContent, type ExportScope } from '../catalogue/index.js'
import { createRegistryService } from '../registry/index.js'
import { elmDataset, jsonArray, loqXmlDataset } from './dataset.js'
import { elmLearningOpportunity } from './elm.js'
import { elmContext } from './namespace.js'
import { ob3Achievement } from './ob3.js'
import type { ExportedOrganisation, ExportSource } from './source.js'

export type ExportTarget = 'elm' | 'ob3'
/** A whole-catalogue format: the LOQ XML carries the ELM mapping, so it needs what ELM needs. */
export type DatasetFormat = ExportTarget | 'loq-xml'
export const DATASET_FORMATS: readonly DatasetFormat[] = ['elm', 'loq-xml', 'ob3']
const TARGET_NAMES: Record<ExportTarget, string> = { elm: 'ELM', ob3: 'Open Badges 3.0' }
/** What the offers of a dataset must state: the LOQ XML carries the ELM mapping. */
const targetOf = (format: DatasetFormat): ExportTarget => (format === 'ob3' ? 'ob3' : 'elm')

export interface DatasetOptions {
  baseUrl: string
  elmVersion: ElmVersion
  /** Told of each offer left out, with the fields it lacks. */
  skipped?: (id: string, missing: string[]) => void
  /** Told of each offer exported (once, whatever the passes over the catalogue). */
  included?: (id: string) => void
}

/** Gathers what an export is made of; the mappers (elm.ts, ob3.ts) turn it into documents. */
export function createExportService(db: Database) {
  const catalogue = createCatalogueService(db)
  const registry = createRegistryService(db)

  const uris = (baseUrl: string, id: string, version?: number) => ({
    uri: `${baseUrl}/v1/offers/${id}${version === undefined ? '' : `/versions/${version}`}`,
    institutionsUri: `${baseUrl}/v1/institutions/`,
  })

  async function sourceOf(exported: ExportContent, where: { uri: string; institutionsUri: string }, organisations = organisation): Promise<ExportSource> {
    return {
      ...where,
      content: exported.content,
      provider: await organisations(exported.institution),
      coAwarding: await Promise.all(exported.coAwarding.map(organisations)),
    }
  }

  async function organisation(schac: string): Promise<ExportedOrganisation> {
    // An institution that offers, or has answered for, an offer cannot be removed from the registry.
    const { name, country, website } = (await registry.getInstitution(schac))!.resource
    return { schac, name, country, website }
  }

  return {
    /**
     * The offer (or one version of it) as an export source, when it states what the target
     * requires; else 422 EXPORT_NOT_READY with what is missing (as exportReadiness says).
     */
    async source(viewer: Caller, target: ExportTarget, baseUrl: string, id: string, version?: number): Promise<ExportSource> {
      const exported = await catalogue.getExportContent(viewer, id, version)
      const readiness = checkExportReadiness(exported.content)[target]
      if (!readiness.ready) {
        throw withExtensions(
          Errors.exportNotReady(`The offer cannot be exported to ${TARGET_NAMES[target]} yet: ${readiness.missing.length} element(s) missing`),
          { missing: readiness.missing },
        )
      }
      return sourceOf(exported, uris(baseUrl, id, version))
    },

    /**
     * Before a dataset goes out over HTTP: 404 for an institution or alliance not in the
     * registry, else how many of its published offers the format leaves out, not ready (one read
     * of the catalogue, page by page, as the export's own).
     */
    async datasetOmissions(scope: ExportScope, format: DatasetFormat): Promise<number> {
      const known = 'institution' in scope ? await registry.getInstitution(scope.institution) : await registry.getAlliance(scope.alliance)
      if (!known) throw Errors.notFound('institution' in scope ? `No institution ${scope.institution}` : `No alliance ${scope.alliance}`)
      let omitted = 0
      for await (const exported of catalogue.publishedForExport(scope)) {
        if (!checkExportReadiness(exported.content)[targetOf(format)].ready) omitted++
      }
      return omitted
    },

    /**
     * The published catalogue of an institution or an alliance as one document, in chunks of
     * text read and written one offer at a time. Offers not ready for the target are left out,
     * each reported to `skipped` with what it lacks.
     */
    dataset(scope: ExportScope, format: DatasetFormat, options: DatasetOptions): AsyncGenerator<string> {
      const target = targetOf(format)
      const known = new Map<string, Promise<ExportedOrganisation>>()
      const cached = (schac: string) => {
        if (!known.has(schac)) known.set(schac, organisation(schac))
        return known.get(schac)!
      }
      /** The ready offers' sources, read page by page; `report` says whether to report the others. */
      async function * sources(report: boolean) {
        for await (const exported of catalogue.publishedForExport(scope)) {
          const readiness = checkExportReadiness(exported.content)[target]
          if (!readiness.ready) {
            if (report) options.skipped?.(exported.id, readiness.missing.map((m) => m.field))
            continue
          }
          if (report) options.included?.(exported.id)
          yield sourceOf(exported, uris(options.baseUrl, exported.id), cached)
        }
      }
      if (format === 'loq-xml') {
        // The XSD groups entities by kind: one pass over the catalogue per container.
        return loqXmlDataset((pass) => sources(pass === 0), async () => Promise.all(known.values()), `${options.baseUrl}/v1/institutions/`)
      }
      async function * documents() {
        for await (const source of sources(true)) {
          yield target === 'elm' ? elmLearningOpportunity(source, options.elmVersion) : ob3Achievement(source)
        }
      }
      return target === 'elm' ? elmDataset(elmContext(options.elmVersion), documents()) : jsonArray(documents())
    },
  }
}
