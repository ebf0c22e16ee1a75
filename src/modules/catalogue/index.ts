// The catalogue: micro-credential offers with the EU standard elements, their versions,
// search and the bulk sync.
export { catalogueLookups, type OfferVersionSummary } from './lookups.js'
export { catalogueFollowers } from './memberships.js'
export { default as catalogueRoutes, type CatalogueRoutesOptions } from './routes.js'
export { default as searchIndexer } from './search-indexer-plugin.js'
export { prepareOffer, type PreparedOffer } from './preparation.js'
export { RUM_INDEX, type ExportScope } from './repository.js'
export { checkCompliance } from './compliance.js'
export { checkExportReadiness } from './readiness.js'
export type { Run, RunInput, SyncRun } from './runs-schemas.js'
export { catalogueSchemas, type Compliance, type ExportContent, type OfferContent, type OfferInput } from './schemas.js'
export { createCatalogueService, type CatalogueService, type PublishedOffer, type WrittenOffer } from './service.js'
export { createRunsService, type RunsService } from './runs.js'
