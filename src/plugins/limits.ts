import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { Errors, withHeaders } from '../errors.js'

export interface LimitsOptions {
  redisUrl: string | undefined
  rateLimitMax: number
  rateLimitAnonymousMax: number
  rateLimitWindowMs: number
  maxEventLoopDelayMs: number
  /** Time a read may take from routing to the response. */
  handlerTimeoutMs: number
}

const SAMPLE_INTERVAL_MS = 1000
/** Methods that change nothing: only these are cut off by the handler timeout. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const RETRY_AFTER_SECONDS = 5

/**
 * The caller's address as limits count it: an IPv6 address by its /64, which one customer
 * usually holds whole and could otherwise rotate through.
 */
export function limitedAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip)
}

/** Rate limits count per client when there is a credential, per address otherwise. */
function rateLimitKey(request: FastifyRequest): string {
  const { caller } = request
  if (caller.authenticated) return caller.clientId ? `client:${caller.clientId}` : 'operator-token'
  return `address:${limitedAddress(request)}`
}

/**
 * Abuse limits: a handler timeout on reads, rate limits (shared by every replica through
 * Redis when configured), load shedding when the event loop is saturated. Registered before auth, which uses the rate-limit store for failed
 * authentications. The rate limit itself is a per-route hook, which Fastify runs after
 * auth's instance-wide authentication hook: limits count per resolved client.
 */
async function limits(app: FastifyInstance, options: LimitsOptions) {
  // The handler timeout answers 503 while the handler goes on running. For a read that is
  // harmless; for a write it would be a lie whenever the transaction then commits (the
  // client sees failure for a write that happened). So only reads get a handler timeout;
  // writes run to their end and report their real outcome, bounded by the database's
  // statement timeout and the pool's connection timeout instead.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (methods.every((method) => READ_METHODS.has(method))) {
      route.handlerTimeout ??= options.handlerTimeoutMs
    } else if (route.handlerTimeout !== undefined) {
      throw new Error(`Route ${methods.join(',')} ${route.url} writes: it must not declare a handlerTimeout (a 503 could hide a committed write)`)
    }
  })

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
    max: (request) => (request.caller.authenticated ? options.rateLimitMax : options.rateLimitAnonymousMax),
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

export default fp(limits, { name: 'limits', dependencies: ['problems'] })
