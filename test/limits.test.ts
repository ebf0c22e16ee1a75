import t from 'tap'
import { bearer, startTestApp } from './helpers/app.js'

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

  const stranger = await ctx.app.inject({ method: 'GET', url: '/v1/alliances', headers: { origin: 'https://evil.example' } })
  t.notOk(stranger.headers['access-control-allow-origin'], 'an origin not on the list gets no CORS grant')
  t.not(stranger.headers['access-control-allow-origin'], '*')
})

t.test('load shedding: a saturated event loop answers 503 with Retry-After', async (t) => {
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
