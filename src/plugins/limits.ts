import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import { Redis } from 'ioredis'
import { Errors, withHeaders } from '../errors.js'

export interface LimitsOptions {
  redisUrl: string | undefined
  rateLimitMax: number
  rateLimitAnonymousMax: number
  rateLimitWindowMs: number
  maxEventLoopDelayMs: number
}

const SAMPLE_INTERVAL_MS = 1000
const RETRY_AFTER_SECONDS = 5

/** Rate limits count per client when there is a credential, per address otherwise. */
function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal
  if (principal) return principal.clientId ? `client:${principal.clientId}` : 'operator-token'
  return `address:${request.ip}`
}

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

/** Set on every response, errors included (see app.ts). */
export const SECURITY_HEADERS = securityHeaders({
  // The docs page sets its own CSP (hashes of its scripts); API responses are JSON.
  contentSecurityPolicy: false,
  // Portals on other origins read public data (CORS decides what they may read).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
})

/**
 * Abuse limits: rate limits (shared by every replica through Redis when configured), load
 * shedding when the event loop is saturated. Registered after auth,
 * so limits count per resolved client.
 */
async function limits(app: FastifyInstance, options: LimitsOptions) {

  if (options.maxEventLoopDelayMs > 0) {
    // The loop delay is sampled once a second; the samples taken while the process boots
    // (loading code, compiling schemas) say nothing about load, so judging starts after.
    let judgingFrom = Number.POSITIVE_INFINITY
    app.addHook('onReady', async () => {
      judgingFrom = Date.now() + SAMPLE_INTERVAL_MS + 500
    })
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      sampleInterval: SAMPLE_INTERVAL_MS,
      // A rejected promise goes to the error handler: a 503 problem with Retry-After.
      pressureHandler: async () => {
        if (Date.now() < judgingFrom) return
        throw withHeaders(Errors.overloaded(), { 'retry-after': String(RETRY_AFTER_SECONDS) })
      },
    })
  }

  let redis: Redis | undefined
  if (options.redisUrl) {
    redis = new Redis(options.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false })
    redis.on('error', (error) => app.log.warn({ err: error }, 'rate-limit store unavailable'))
    app.addHook('onClose', async () => {
      redis!.disconnect()
    })
  }
  await app.register(rateLimit, {
    global: true,
    timeWindow: options.rateLimitWindowMs,
    max: (request) => (request.principal ? options.rateLimitMax : options.rateLimitAnonymousMax),
    keyGenerator: rateLimitKey,
    nameSpace: 'passerelle-rate-',
    // A store outage must not take the API down with it: requests pass, the log says why.
    skipOnError: true,
    // Limits are stated when they bite (429 with Retry-After), not on every response.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    ...(redis ? { redis } : {}),
    errorResponseBuilder: (_request, context) =>
      Errors.rateLimited(`Too many requests: at most ${context.max} per ${context.after === '1 minute' ? 'minute' : 'window'}; retry in ${context.after}`),
  })
}

export default fp(limits, { name: 'limits', dependencies: ['auth', 'problems'] })
