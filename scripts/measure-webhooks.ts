// Measures webhook delivery on real PostgreSQL: deliveries per second to a local receiver and
// the time from a change's commit to its delivery (p50, p99), with many subscriptions.
//   npm run measure:webhooks -- [--server postgres://postgres@127.0.0.1:5432/postgres] [--subscriptions 200] [--offers 20]
// Creates a throwaway database on that server and drops it afterwards; sends only to 127.0.0.1.
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { syntheticOffer } from './lib/synthetic-offers.js'
import { createScratchDatabase } from './lib/scratch-database.js'

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    subscriptions: { type: 'string', default: '200' },
    offers: { type: 'string', default: '20' },
    'time-limit-s': { type: 'string', default: '180' },
  },
})
const subscriptionCount = Number(values.subscriptions)
const offerCount = Number(values.offers)

const arrivals: number[] = []
const latencies: number[] = []
const receiver = http.createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => { body += chunk })
  request.on('end', () => {
    const now = Date.now()
    arrivals.push(now)
    latencies.push(now - Date.parse(JSON.parse(body).data.at))
    response.writeHead(204).end()
  })
})
receiver.listen(0, '127.0.0.1')
await once(receiver, 'listening')
const { port } = receiver.address() as AddressInfo

const scratch = await createScratchDatabase(values.server!)
const { url } = scratch
const database = await openDatabase({ databaseUrl: url.toString(), poolMax: 20 })
try {
  await database.migrate()
  const db = database.db
  await runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putInstitution(write, 'unibo.it', { name: { en: 'Bologna' }, country: 'IT' }, {}))
  const clients = createClientService(db)
  const { key } = await runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: 'unibo.it', name: 'measure', scopes: ['catalogue:write', 'webhooks:manage'] }))
  const config = loadConfig({ LOG_LEVEL: 'warn', SEED_DEMO: 'false', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1', WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_CONCURRENCY: '128' })
  const app = await buildApp({ config: { ...config, rateLimitMax: 10_000_000, maxEventLoopDelayMs: 0 }, database, logger: false })
  await app.ready()
  const headers = { authorization: `Bearer ${key}` }
  for (let n = 0; n < subscriptionCount; n++) {
    await app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: `http://127.0.0.1:${port}/s/${n}`, events: ['offer.published'] } })
  }
  const expected = subscriptionCount * offerCount
  const started = Date.now()
  for (let n = 0; n < offerCount; n++) {
    const { externalId: _externalId, ...offer } = syntheticOffer(n)
    const response = await app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/MEASURE-${n}`, headers, payload: offer })
    if (response.statusCode >= 300) throw new Error(`offer ${n}: ${response.statusCode} ${response.body.slice(0, 300)}`)
  }
  const deadline = Date.now() + Number(values['time-limit-s']) * 1000
  while (arrivals.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  await app.close()
  const sorted = [...latencies].sort((a, b) => a - b)
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
  const seconds = (Math.max(...arrivals) - started) / 1000
  console.log(JSON.stringify({
    subscriptions: subscriptionCount,
    changes: offerCount,
    delivered: arrivals.length,
    expected,
    deliveriesPerSecond: Math.round(arrivals.length / seconds),
    commitToDeliveryMs: { p50: quantile(0.5), p99: quantile(0.99), max: sorted.at(-1) },
  }, null, 2))
} finally {
  receiver.close()
  await database.close()
  await scratch.drop()
}
