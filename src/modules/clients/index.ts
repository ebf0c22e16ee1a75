// API clients: their keys (stored as hashes), scopes and revocation.
export { clientLookups } from './lookups.js'
export { generateKey } from './keys.js'
export { default as credentials, type Credential, type CredentialResolver } from './credentials.js'
export { default as clientRoutes } from './routes.js'
export { clientSchemas } from './schemas.js'
export { createClientService, toClient, type ClientService } from './service.js'
