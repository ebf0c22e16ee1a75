import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Errors, withFieldErrors, withHeaders } from '../errors.js'
import { ANONYMOUS, callerOf, type Caller } from '../lib/caller.js'
import type { Scope } from '../lib/scopes.js'
import { problemResponses } from '../schemas.js'
import { limitedAddress } from './limits.js'

/**
 * Every route declares who may call it: `public` (no credential needed; one sent is still
 * checked and resolved), `authenticated` (any valid credential), or the scope it must hold.
 */
export type Access = 'public' | 'authenticated' | Scope

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    /** Who is calling: anonymous until a credential is checked and accepted. */
    caller: Caller
  }
}

export interface AuthOptions {
  adminToken: string | undefined
  /** Failed authentications allowed per address and window before credentials go unchecked. */
  failureLimitMax: number
  failureWindowMs: number
}

/**
 * The prefix the documentation page (@fastify/swagger-ui) is mounted at. Its routes cannot
 * carry route config of ours; they are public.
 */
export const DOCUMENTATION_PREFIX = '/docs'

/**
 * Routes declared by a plugin mounted at the documentation prefix (or below it). Judged by
 * the prefix the declaring plugin was registered with, not by the URL: a route of ours whose
 * path merely starts with `/docs` (`/docsy`, `/docs-admin`, `/docs/x` declared at the root)
 * still needs its own access rule.
 */
function isDocumentationRoute(route: { prefix?: string }): boolean {
  const prefix = route.prefix ?? ''
  return prefix === DOCUMENTATION_PREFIX || prefix.startsWith(`${DOCUMENTATION_PREFIX}/`)
}

const REALM = 'Bearer realm="passerelle"'

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/**
 * Node keeps the first of repeated Authorization headers and drops the rest; a request that
 * carries two credentials is ambiguous (a proxy added one, a client sent both), so it is
 * refused rather than answered for whichever came first.
 */
function assertOneAuthorization(request: FastifyRequest): void {
  const raw = request.raw.rawHeaders
  let seen = 0
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 13 && raw[i]!.toLowerCase() === 'authorization') seen++
  if (seen > 1) {
    throw withFieldErrors(Errors.validationFailed('The request has 1 invalid field'), [
      { in: 'header', pointer: '/authorization', detail: `is sent ${seen} times; send one credential` },
    ])
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  assertOneAuthorization(request)
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) {
    throw withHeaders(Errors.invalidCredentials('Authorization must be "Bearer <key>"'), {
      'www-authenticate': `${REALM}, error="invalid_request"`,
    })
  }
  return match[1]
}

async function auth(app: FastifyInstance, options: AuthOptions) {
  const adminDigest = options.adminToken === undefined ? undefined : digest(options.adminToken)
  const operator = callerOf({ clientId: null, institution: null, scopes: ['registry:admin'] satisfies Scope[] })

  async function resolve(token: string): Promise<Caller | null> {
    if (adminDigest !== undefined && timingSafeEqual(digest(token), adminDigest)) return operator
    const credential = await app.credentials.resolve(token)
    return credential && callerOf(credential)
  }

  // Decorators take no object values; every request starts anonymous in the hook below.
  app.decorateRequest('caller', null as unknown as Caller)

  // A route that forgets its access rule must not go live open to everyone.
  app.addHook('onRoute', (route) => {
    // CORS preflights carry no credentials by design.
    if (route.method === 'OPTIONS') return
    if (isDocumentationRoute(route)) route.config = { ...route.config, access: 'public' }
    const access = route.config?.access
    if (access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule (config.access)`)
    }
    if (!route.schema) return
    // A credential that is sent is checked on every route, public ones included: any route
    // can answer 401; those that need a key or a scope can answer 403 too.
    route.schema.response = { ...problemResponses(...(access === 'public' ? [401] : [401, 403])), ...(route.schema.response as object) }
    // Public routes take a key optionally (`{}`: none at all): one may see more with it (an
    // institution its own drafts and individual decisions).
    route.schema.security =
      access === 'public' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: access === 'authenticated' ? [] : [access] }]
  })

  // Key guessing: failed authentications count per address (in the rate-limit store, shared
  // by every replica). Once an address has used its allowance, no credential from it is
  // checked until the window ends, so a right guess looks the same as a wrong one.
  const failures = app.createRateLimit({
    max: options.failureLimitMax,
    timeWindow: options.failureWindowMs,
    keyGenerator: (request) => `authentication-failures:${limitedAddress(request)}`,
  })

  async function assertMayAuthenticate(request: FastifyRequest): Promise<void> {
    const state = await failures(request, { increment: false })
    if (state.isAllowed || state.remaining > 0) return
    const seconds = Math.max(1, state.ttlInSeconds)
    throw withHeaders(Errors.rateLimited(`Too many failed authentications from this address; retry in ${seconds} s`), {
      'retry-after': String(seconds),
    })
  }

  // Authentication: who is calling. A credential that is sent is checked, on public routes too.
  async function authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request)
    if (token === undefined) return
    await assertMayAuthenticate(request)
    const caller = await resolve(token)
    if (!caller) {
      await failures(request)
      throw withHeaders(Errors.invalidCredentials('The key is unknown or has been revoked'), {
        'www-authenticate': `${REALM}, error="invalid_token"`,
      })
    }
    request.caller = caller
  }
  // Callback hooks, so that the common case (no credential, a public route) costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    request.caller = ANONYMOUS
    if (request.routeOptions.config.access === undefined || request.headers.authorization === undefined) return done()
    authenticate(request).then(() => done(), done)
  })

  // Authorization: may this caller use this route. It runs after the rate limit (a per-route
  // onRequest hook, and Fastify runs those after instance hooks such as the one above), so
  // refused requests count towards the caller's limit; and before the body is parsed, so a
  // caller without access learns nothing from validation.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    try {
      authorize(request)
      done(null, payload)
    } catch (error) {
      done(error as Error)
    }
  })

  function authorize(request: FastifyRequest): void {
    const access = request.routeOptions.config.access
    if (access === undefined || access === 'public') return
    if (!request.caller.authenticated) {
      const needs = access === 'authenticated' ? 'a key' : `a key with scope ${access}`
      throw withHeaders(Errors.authenticationRequired(`This route needs ${needs}`), { 'www-authenticate': REALM })
    }
    if (access !== 'authenticated' && !request.caller.has(access)) {
      throw withHeaders(Errors.insufficientScope(`This route needs scope ${access}`), {
        'www-authenticate': `${REALM}, error="insufficient_scope", scope="${access}"`,
      })
    }
  }
}

export default fp(auth, { name: 'auth', dependencies: ['credentials', 'problems', 'limits'] })
