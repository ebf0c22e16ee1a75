import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import path from 'node:path'
import t, { type Test } from 'tap'
import { DEMO_OFFERS } from '../src/demo/offers.js'
import { seedDemo } from '../src/demo/seed.js'
import { bearer, startTestApp } from './helpers/app.js'

/**
 * The OpenAPI document checked by a tool we did not write: Stoplight Prism, as a validating
 * proxy in front of the service on the demo data. Each request goes through Prism, which
 * forwards it and reports in an `sl-violations` header where the request or the service's
 * answer departs from openapi/openapi.json. A representative run of reads, writes and errors:
 * every answer must conform; requests made wrong on purpose must be found wrong by the
 * document too (so the spec says what the service refuses).
 */
// Prism takes tens of seconds to read the document on a busy machine.
t.setTimeout(300_000)
const ROOT = path.resolve(import.meta.dirname, '..')
const PRISM = createRequire(import.meta.url).resolve('@stoplight/prism-cli/dist/index.js')

const ctx = await startTestApp(t)
const keys = await seedDemo(ctx.database.handle.db)
const keyOf = (role: string) => bearer(keys.find((key) => key.role.startsWith(role))!.key)
const operator = keyOf('operator')
const unibo = keyOf('unibo.it')
const registrar = keyOf('kuleuven.be')
const uniboManager = bearer(await ctx.key('unibo.it', ['catalogue:write', 'webhooks:manage']))
const service = await ctx.app.listen({ port: 0, host: '127.0.0.1' })

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const port = await freePort()
const prism = spawn(process.execPath, [PRISM, 'proxy', path.join(ROOT, 'openapi/openapi.json'), service, '--host', '127.0.0.1', '--port', String(port)], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'pipe'],
})
t.teardown(() => {
  prism.kill()
})
let output = ''
await new Promise<void>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`Prism did not start:\n${output}`)), 90_000)
  const read = (chunk: Buffer) => {
    output += chunk
    if (output.includes('Prism is listening')) {
      clearTimeout(timer)
      resolve()
    }
  }
  prism.stdout.on('data', read)
  prism.stderr.on('data', read)
  prism.on('exit', (code) => reject(new Error(`Prism exited (${code}):\n${output}`)))
})
const PROXY = `http://127.0.0.1:${port}`

interface Violation {
  location: string[]
  code: string | number
  message: string
}

interface Exchange {
  status: number
  headers: Headers
  body: unknown
  violations: Violation[]
}

async function send(method: string, url: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Exchange> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await fetch(`${PROXY}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
  const text = await response.text()
  const type = response.headers.get('content-type') ?? ''
  return {
    status: response.status,
    headers: response.headers,
    body: /json/.test(type) && text ? JSON.parse(text) : text,
    violations: JSON.parse(response.headers.get('sl-violations') ?? '[]') as Violation[],
  }
}

const describe = (violations: Violation[]) => violations.map((v) => `${v.location.join('.')}: ${v.message}`).join('\n')

/** A request the document allows, answered as the document says. */
async function conforms(t: Test, method: string, url: string, status: number, options: Parameters<typeof send>[2] = {}): Promise<Exchange> {
  const exchange = await send(method, url, options)
  t.equal(exchange.status, status, `${method} ${url}: ${JSON.stringify(exchange.body).slice(0, 300)}`)
  t.same(exchange.violations, [], `${method} ${url} conforms:\n${describe(exchange.violations)}`)
  return exchange
}

/** A request wrong on purpose: the document finds it wrong too, and the service's problem conforms. */
async function refused(t: Test, method: string, url: string, status: number, options: Parameters<typeof send>[2] = {}): Promise<Exchange> {
  const exchange = await send(method, url, options)
  t.equal(exchange.status, status, `${method} ${url}: ${JSON.stringify(exchange.body).slice(0, 300)}`)
  const request = exchange.violations.filter((v) => v.location[0] === 'request')
  const response = exchange.violations.filter((v) => v.location[0] !== 'request')
  t.ok(request.length > 0, `${method} ${url}: the document refuses it too`)
  t.same(response, [], `${method} ${url}: the problem conforms:\n${describe(response)}`)
  return exchange
}

const firstOffer = DEMO_OFFERS[0]!
const offers = (await send('GET', `/v1/offers?institution=${firstOffer.institution}`)).body as { items: Array<{ id: string; externalId: string }> }
const offerId = offers.items.find((offer) => offer.externalId === firstOffer.externalId)!.id

t.test('public reads, without the defaults spelt out', async (t) => {
  for (const url of [
    '/v1/alliances',
    '/v1/alliances/una-europa',
    '/v1/institutions',
    '/v1/institutions/unibo.it',
    '/v1/offers?q=data',
    '/v1/offers?eqfLevel=6&language=en',
    `/v1/offers/${offerId}`,
    `/v1/offers/${offerId}/versions`,
    `/v1/offers/${offerId}/versions/1`,
    `/v1/offers/${offerId}/elm`,
    `/v1/offers/${offerId}/ob3`,
    `/v1/offers/${offerId}/recognition`,
    '/v1/recognitions',
    '/v1/changes',
    '/v1/changes?type=offer&limit=5',
    '/health/live',
    '/health/ready',
  ]) {
    await conforms(t, 'GET', url, 200)
  }
  const page = await conforms(t, 'GET', '/v1/offers?limit=2', 200)
  const { nextCursor } = page.body as { nextCursor: string }
  await conforms(t, 'GET', `/v1/offers?limit=2&cursor=${encodeURIComponent(nextCursor)}`, 200)
})

t.test('reads with a key', async (t) => {
  await conforms(t, 'GET', '/v1/audit', 200, { headers: operator })
  await conforms(t, 'GET', '/v1/clients', 200, { headers: operator })
  await conforms(t, 'GET', '/v1/institutions/unibo.it/awarding-requests', 200, { headers: unibo })
  await conforms(t, 'GET', '/v1/recognitions/overdue', 200, { headers: registrar })
  await conforms(t, 'GET', '/v1/institutions/kuleuven.be/recognition-settings', 200, { headers: registrar })
  await conforms(t, 'GET', '/v1/webhooks', 200, { headers: uniboManager })
  await conforms(t, 'POST', '/v1/recognitions/status', 200, { headers: registrar, body: { offers: offers.items.map((offer) => offer.id), at: '2026-09-01T00:00:00Z' } })
})

t.test('writes', async (t) => {
  const url = '/v1/institutions/unibo.it/offers/PROXY-CHECK-1'
  const created = await conforms(t, 'PUT', url, 201, { headers: unibo, body: firstOffer.offer })
  const etag = created.headers.get('etag')!
  await conforms(t, 'PUT', url, 200, { headers: { ...unibo, 'if-match': etag }, body: { ...firstOffer.offer, title: { en: 'Checked through a proxy' } } })
  await conforms(t, 'DELETE', url, 200, { headers: unibo })
  await conforms(t, 'POST', '/v1/institutions/unibo.it/offers/sync?dryRun=true', 200, {
    headers: unibo,
    body: { mode: 'upsert', offers: [{ externalId: 'PROXY-CHECK-2', ...firstOffer.offer }] },
  })
  const institution = await conforms(t, 'GET', '/v1/institutions/unibo.it', 200)
  await conforms(t, 'PATCH', '/v1/institutions/unibo.it', 200, {
    headers: { ...operator, 'if-match': institution.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
    body: { website: 'https://www.unibo.it/en' },
  })
  const subscription = await conforms(t, 'POST', '/v1/webhooks', 201, {
    headers: uniboManager,
    body: { url: 'https://hooks.example.org/passerelle', events: ['offer'] },
  })
  const { id } = subscription.body as { id: string }
  await conforms(t, 'POST', `/v1/webhooks/${id}/pause`, 200, { headers: uniboManager })
  await conforms(t, 'DELETE', `/v1/webhooks/${id}`, 204, { headers: uniboManager })
})

t.test('errors', async (t) => {
  await refused(t, 'GET', '/v1/offers?limit=0', 400)
  await refused(t, 'GET', '/v1/offers/not-a-uuid', 400)
  await refused(t, 'PUT', '/v1/institutions/unibo.it/offers/PROXY-CHECK-3', 400, { headers: unibo, body: { ...firstOffer.offer, ects: '5' } })
  await refused(t, 'GET', '/v1/audit', 401)
  const missing = await send('GET', '/v1/offers/00000000-0000-4000-8000-000000000000')
  t.equal(missing.status, 404)
  t.same(missing.violations, [], describe(missing.violations))
  const forbidden = await send('PUT', '/v1/institutions/kuleuven.be/offers/X-1', { headers: unibo, body: firstOffer.offer })
  t.equal(forbidden.status, 403)
  t.same(forbidden.violations, [], describe(forbidden.violations))
  const incomplete = await send('PUT', '/v1/institutions/unibo.it/offers/PROXY-CHECK-4', { headers: unibo, body: { title: { en: 'Only a title' } } })
  t.equal(incomplete.status, 422)
  t.same(incomplete.violations, [], describe(incomplete.violations))
  const stale = await send('PUT', '/v1/institutions/unibo.it/offers/PROXY-CHECK-5', { headers: { ...unibo, 'if-match': '"stale"' }, body: firstOffer.offer })
  t.equal(stale.status, 412)
  t.same(stale.violations, [], describe(stale.violations))
  const rejected = await send('POST', '/v1/institutions/unibo.it/offers/sync', {
    headers: unibo,
    body: { mode: 'upsert', offers: [{ externalId: 'PROXY-CHECK-6', title: { en: 'Only a title' } }] },
  })
  t.equal(rejected.status, 422)
  t.match(rejected.body, { code: 'SYNC_REJECTED', invalidOffers: [{ index: 0, externalId: 'PROXY-CHECK-6' }] })
  t.same(rejected.violations, [], describe(rejected.violations))
})
