import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * The security headers helmet sets with these options, computed once at start-up. Without
 * CSP nonces they do not depend on the request, and running helmet's middleware chain on
 * every request cost ~12 % of the CPU of a trivial one.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error
  })
  return headers
}

/** Set on every response, errors included (those answered before routing too: see problems.ts). */
export const SECURITY_HEADERS = securityHeaders({
  // The docs page sets its own CSP (hashes of its scripts); API responses are JSON.
  contentSecurityPolicy: false,
  // Portals on other origins read public data (CORS decides what they may read).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
})

/**
 * Security headers and the request id on every response. Set when the request arrives,
 * before any hook can refuse it, so errors carry them too.
 */
async function securityHeadersPlugin(app: FastifyInstance) {
  // A callback hook: an async one costs a promise on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS)
    reply.header('x-request-id', request.id)
    done()
  })
}

export default fp(securityHeadersPlugin, { name: 'security-headers' })
