import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { requires } from './helpers/requires.js'

t.test('rate limits count per client and per anonymous address, answering 429 problems with Retry-After', async (t) => {
  const ctx = await startTestApp(t, { config: { rateLimitMax: 3, rateLimitAnonymousMax: 2, rateLimitWindowMs: 60_000 } })
  await ctx.institution('unibo.it', 'IT')
  const first = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const second = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const get = (headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url: '/v1/institutions', headers })

  for (let i = 0; i < 3; i++) t.equal((await get(first)).statusCode, 200)
  const limited = await get(first)
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['content-type'], /application\/problem\+json/)
  t.equal(limited.json().code, 'RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After is set')
  t.equal((await get(second)).statusCode, 200, 'another client has its own budget')

  t.equal((await get()).statusCode, 200)
  t.equal((await get()).statusCode, 200)
  t.equal((await get()).statusCode, 429, 'anonymous callers are limited per address')
})

t.test('failed authentications are limited per address, before any key is checked', async (t) => {
  const ctx = await startTestApp(t, { config: { authFailureLimitMax: 3, rateLimitWindowMs: 60_000 } })
  const valid = admin
  const guess = (n: number) => bearer(`psl_guess${n}_${'x'.repeat(40)}`)
  const get = (headers: Record<string, string>, remoteAddress = '203.0.113.7') =>
    ctx.app.inject({ method: 'GET', url: '/v1/clients', headers, remoteAddress })

  for (let i = 0; i < 3; i++) {
    const refused = await get(guess(i))
    t.equal(refused.statusCode, 401, `guess ${i} is refused`)
    t.equal(refused.json().code, 'INVALID_CREDENTIALS')
  }
  const limited = await get(guess(3))
  t.equal(limited.statusCode, 429, 'the next attempt from that address is rate limited')
  t.match(limited.headers['content-type'], /application\/problem\+json/)
  t.equal(limited.json().code, 'RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After is set')
  t.equal((await get(valid)).statusCode, 429, 'even a right key is not checked, so a lucky guess cannot be told apart')
  t.equal((await get({})).statusCode, 401, 'a request without a credential is not an attempt (and gets the usual 401)')
  t.equal((await get(valid, '203.0.113.8')).statusCode, 200, 'another address is not affected')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/v1/institutions', remoteAddress: '203.0.113.7' })).statusCode, 200, 'public reads without a key still work')
})

t.test('an IPv6 caller is limited by its /64, not by each address in it', async (t) => {
  const ctx = await startTestApp(t, { config: { authFailureLimitMax: 1, rateLimitWindowMs: 60_000 } })
  const guess = (remoteAddress: string) =>
    ctx.app.inject({ method: 'GET', url: '/v1/institutions', headers: bearer(`psl_guess_${'y'.repeat(40)}`), remoteAddress })
  t.equal((await guess('2001:db8:1:2::1')).statusCode, 401)
  t.equal((await guess('2001:db8:1:2::ffff')).statusCode, 429, 'another address of the same /64')
  t.equal((await guess('2001:db8:1:3::1')).statusCode, 401, 'another /64')
})

t.test('requests refused for missing credentials or scope count towards the rate limit', async (t) => {
  const ctx = await startTestApp(t, { config: { rateLimitMax: 2, rateLimitAnonymousMax: 2, rateLimitWindowMs: 60_000 } })
  await ctx.institution('unibo.it', 'IT')
  const reader = bearer(await ctx.key('unibo.it', ['recognition:read']))
  const clients = (headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url: '/v1/clients', headers })
  t.equal((await clients()).statusCode, 401)
  t.equal((await clients()).statusCode, 401)
  t.equal((await clients()).statusCode, 429, 'an anonymous caller hammering a protected route is limited')
  t.equal((await clients(reader)).statusCode, 403)
  t.equal((await clients(reader)).statusCode, 403)
  t.equal((await clients(reader)).statusCode, 429, 'a client without the scope is limited too')
})

t.test('security headers and the CORS allow-list', async (t) => {
  const ctx = await startTestApp(t, { config: { corsOrigins: ['https://portal.example.eu'] } })
  const response = await ctx.app.inject({ method: 'GET', url: '/v1/alliances', headers: { origin: 'https://portal.example.eu' } })
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.match(response.headers['strict-transport-security'], /max-age=/)
  t.equal(response.headers['x-frame-options'], 'SAMEORIGIN')
  t.equal(response.headers['cross-origin-resource-policy'], 'cross-origin')
  t.notOk(response.headers['content-security-policy'], 'JSON needs no CSP; the docs page sets its own')
  t.equal(response.headers['access-control-allow-origin'], 'https://portal.example.eu')
  for (const failed of [
    await ctx.app.inject({ method: 'GET', url: '/v1/nowhere' }),
    await ctx.app.inject({ method: 'GET', url: '/v1/clients', headers: { authorization: 'Bearer psl_00000000_nope' } }),
  ]) {
    t.ok(failed.statusCode >= 400)
    t.equal(failed.headers['x-content-type-options'], 'nosniff', `a ${failed.statusCode} carries the security headers too`)
    t.match(failed.headers['x-request-id'], /^[0-9a-f-]{36}$/, `and its request id`)
  }

  const preflight = await ctx.app.inject({
    method: 'OPTIONS',
    url: '/v1/recognitions',
    headers: { origin: 'https://portal.example.eu', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://portal.example.eu')

  const refused = await ctx.app.inject({ method: 'GET', url: '/v1/alliances', headers: { origin: 'https://portal.example.eu', authorization: 'Bearer psl_revoked' } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['access-control-allow-origin'], 'https://portal.example.eu', 'a portal can read why its key was refused')

  const stranger = await ctx.app.inject({ method: 'GET', url: '/v1/alliances', headers: { origin: 'https://evil.example' } })
  t.notOk(stranger.headers['access-control-allow-origin'], 'an origin not on the list gets no CORS grant')
  t.not(stranger.headers['access-control-allow-origin'], '*')
})

t.test('load shedding: a saturated event loop answers 503 with Retry-After', async (t) => {
  // On PGlite this test sees no request shed (PGlite runs each query on the event loop: DESIGN.md,
  // Known pitfalls): load shedding is measured against a PostgreSQL server.
  if (!(await requires(t, 'postgres'))) return
  const ctx = await startTestApp(t, { config: { maxEventLoopDelayMs: 20 } })
  // Keep the event loop saturated, as a flood of CPU-heavy work would, until the service
  // notices (it samples the loop delay once a second) and starts shedding.
  const deadline = Date.now() + 5000
  let shed: Awaited<ReturnType<typeof ctx.app.inject>> | undefined
  while (Date.now() < deadline && !shed) {
    const block = Date.now() + 100
    while (Date.now() < block) {
      // busy
    }
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/alliances' })
    if (response.statusCode === 503) shed = response
  }
  t.ok(shed, 'a request was shed')
  t.equal(shed?.json().code, 'OVERLOADED')
  t.equal(shed?.headers['retry-after'], '5')
})

t.test('health probes are never rate limited: a load balancer probing from a limited address keeps a healthy instance in', async (t) => {
  const ctx = await startTestApp(t, { config: { rateLimitAnonymousMax: 2, rateLimitWindowMs: 60_000 } })
  const get = (url: string) => ctx.app.inject({ method: 'GET', url, remoteAddress: '198.51.100.9' })
  for (let i = 0; i < 3; i++) await get('/v1/institutions')
  t.equal((await get('/v1/institutions')).statusCode, 429, 'the address is over its limit')
  for (let i = 0; i < 5; i++) {
    t.equal((await get('/health/ready')).statusCode, 200, `readiness probe ${i}`)
    t.equal((await get('/health/live')).statusCode, 200, `liveness probe ${i}`)
  }
})
