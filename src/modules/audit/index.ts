// The audit trail's read side: listing records and verifying the hash chains (the journal writes them).
export { default as auditRoutes } from './routes.js'
export { auditSchemas } from './schemas.js'
export { createAuditService, type ChainReport } from './service.js'
