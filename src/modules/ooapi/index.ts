// The OOAPI v5 view: the registry and the published catalogue for portals and university systems.
export { ooapiCourse, ooapiOffering, ooapiOrganization, organizationId, teachingLanguage } from './mappers.js'
export { OOAPI_PREFIX, default as ooapiRoutes, type OoapiRoutesOptions } from './routes.js'
export { catalogueRunSource } from './catalogue-runs.js'
export type { Run, RunInput, RunSource, RunSourceFactory, SyncRun } from './run-source.js'
