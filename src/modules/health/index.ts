// Liveness and readiness probes.
export { default as healthRoutes } from './routes.js'
