// Measures the registrar's views on real PostgreSQL: POST /v1/recognitions/status for 100
// offers (now, and `at` a given moment) and GET /v1/offers/{id}/recognition, with two ex-ante
// decisions recorded on each offer (one of them superseded once); every other offer changes
// afterwards, so the views list what changed since the version decided on.
//   npm run measure:recognition -- [--server postgres://postgres@127.0.0.1:5432/postgres] [--offers 2000] [--requests 300]
// Creates a throwaway database on that server and drops it afterwards. The service runs in
// this process and is called through app.inject, one request at a time: these are latencies
// of the service and its queries, without HTTP sockets or concurrency (npm run bench has those).
import { parseArgs } from 'node:util'
import type { InjectOptions } from 'fastify'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { SYSTEM_ACTOR, actingFor } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRecognitionService } from '../src/modules/recognition/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { createScratchDatabase } from './lib/scratch-database.js'
import { syntheticOffer } from './lib/synthetic-offers.js'

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    offers: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '300' },
  },
})
const count = Number(values.offers)
const requests = Number(values.requests)

const scratch = await createScratchDatabase(values.server!)
const database = await openDatabase({ databaseUrl: scratch.url.toString(), statementTimeoutMs: 120_000 })
try {
  await database.migrate()
  const { db } = database
  const registry = createRegistryService(db)
  for (const [schac, country] of [['offering.example', 'BE'], ['first.example', 'IT'], ['second.example', 'FI']] as const) {
    await runWrite(db, SYSTEM_ACTOR, (write) => registry.putInstitution(write, schac, { name: { en: schac }, country }, {}))
  }
  const { key } = await runWrite(db, SYSTEM_ACTOR, (write) =>
    createClientService(db).create(write, { institution: 'offering.example', name: 'measure', scopes: ['catalogue:write'] }),
  )
  // One client asks every request: the anonymous rate limit would cut the measurement short.
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_ANONYMOUS_MAX: '10000000' }), databaseUrl: scratch.url.toString() }
  const app = await buildApp({ config, database, logger: false })
  const synced = await app.inject({
    method: 'POST',
    url: '/v1/institutions/offering.example/offers/sync',
    headers: { authorization: `Bearer ${key}` },
    payload: { mode: 'upsert', offers: Array.from({ length: count }, (_, i) => syntheticOffer(i)) },
  })
  if (synced.statusCode !== 200) throw new Error(`sync: ${synced.statusCode} ${synced.body.slice(0, 500)}`)
  const offers = (synced.json() as { created: Array<{ id: string; ects?: number }> }).created.map((offer) => offer.id)

  const recognition = createRecognitionService(db)
  const started = performance.now()
  for (const [index, offerId] of offers.entries()) {
    const ects = syntheticOffer(index).ects as number
    const policy = { offerId, scope: 'ex_ante' as const, purpose: 'credit_transfer' as const, outcome: 'full' as const, creditsRecognised: ects }
    const first = await runWrite(db, actingFor('first.example'), (write) => recognition.decide(write, policy))
    await runWrite(db, actingFor('first.example'), (write) => recognition.decide(write, { ...policy, supersedes: first.id, supersessionReason: { code: 'policy_change' } }))
    await runWrite(db, actingFor('second.example'), (write) => recognition.decide(write, policy))
  }
  process.stdout.write(`${count} offers, ${count * 3} decisions recorded in ${((performance.now() - started) / 1000).toFixed(1)} s (${database.kind})\n`)
  // Every other offer changes after the decisions (a new title, and for half of those more hours),
  // so the views compare the version decided on with the current one.
  const revised = offers.flatMap((_, index) => {
    if (index % 2 === 1) return []
    const offer = syntheticOffer(index)
    return [{ ...offer, title: { en: `Revised ${index}` }, ...(index % 4 === 0 ? { workloadHours: (offer.workloadHours as number) + 1 } : {}) }]
  })
  const resynced = await app.inject({
    method: 'POST',
    url: '/v1/institutions/offering.example/offers/sync',
    headers: { authorization: `Bearer ${key}` },
    payload: { mode: 'upsert', offers: revised },
  })
  if (resynced.statusCode !== 200) throw new Error(`sync: ${resynced.statusCode} ${resynced.body.slice(0, 500)}`)

  const pick = () => offers[Math.floor(Math.random() * offers.length)]!
  const sample = () => [...new Set(Array.from({ length: 100 }, pick))]
  // A moment after every decision was recorded: the same decisions are in force then as now.
  const moment = new Date().toISOString()
  const scenarios: Array<[string, () => InjectOptions]> = [
    ['POST /v1/recognitions/status, 100 offers', () => ({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: sample() } })],
    ['POST /v1/recognitions/status, 100 offers, at', () => ({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: sample(), at: moment } })],
    ['GET /v1/offers/{id}/recognition', () => ({ method: 'GET', url: `/v1/offers/${pick()}/recognition` })],
  ]
  for (const [label, request] of scenarios) {
    for (let i = 0; i < 20; i++) await app.inject(request())
    const times: number[] = []
    for (let i = 0; i < requests; i++) {
      const begin = performance.now()
      const response = await app.inject(request())
      times.push(performance.now() - begin)
      if (response.statusCode !== 200) throw new Error(`${label}: ${response.statusCode} ${response.body.slice(0, 300)}`)
    }
    times.sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1)
    process.stdout.write(`${label.padEnd(48)} p50 ${at(0.5).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  (${requests} requests)\n`)
  }
  await app.close()
} finally {
  await database.close()
  await scratch.drop()
}
