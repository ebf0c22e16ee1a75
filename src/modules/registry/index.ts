// The registry: alliances and institutions, by SCHAC code.
export { registryLookups } from './lookups.js'
export { default as registryRoutes, type RegistryRoutesOptions } from './routes.js'
export { AllianceSlug, registrySchemas, type AllianceInput, type InstitutionInput } from './schemas.js'
export { createRegistryService, type InstitutionReferences, type MembershipFollowers, type RegistryService } from './service.js'
