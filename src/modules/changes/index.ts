// The change feed's read side (the journal writes it).
export { default as changeRoutes } from './routes.js'
export { changeSchemas } from './schemas.js'
