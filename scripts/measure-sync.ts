// Measures a 5,000-offer sync on real PostgreSQL: all new, 10% changed, none changed; then a
// dry run of 5,000 offers with 40 invalid language keys each: the event loop's delay (the
// service runs in this process: its longest stall is what every other request waits), the
// time and the size of the report.
//   npm run measure:sync -- [--server postgres://postgres@127.0.0.1:5432/postgres] [--offers 5000]
// Creates a throwaway database on that server and drops it afterwards.
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { syntheticOffer } from './lib/synthetic-offers.js'
import { createScratchDatabase } from './lib/scratch-database.js'

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    offers: { type: 'string', default: '5000' },
  },
})
const count = Number(values.offers)

const scratch = await createScratchDatabase(values.server!)
const { url } = scratch
const database = await openDatabase({ databaseUrl: url.toString(), statementTimeoutMs: 120_000 })
try {
  await database.migrate()
  await runWrite(database.db, SYSTEM_ACTOR, (write) =>
    createRegistryService(database.db).putInstitution(write, 'measure.example', { name: { en: 'Measurement University' }, country: 'BE' }, {}),
  )
  const clients = createClientService(database.db)
  const { key } = await runWrite(database.db, SYSTEM_ACTOR, (write) =>
    clients.create(write, { institution: 'measure.example', name: 'measure', scopes: ['catalogue:write'] }),
  )
  const app = await buildApp({ config: { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: url.toString() }, database, logger: false })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })

  async function run(label: string, offers: object[]) {
    const body = JSON.stringify({ mode: 'upsert', offers })
    const started = performance.now()
    const response = await fetch(`${address}/v1/institutions/measure.example/offers/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    })
    const summary = (await response.json()) as Record<string, unknown[]>
    const ms = performance.now() - started
    if (response.status !== 200) throw new Error(`${label}: ${response.status} ${JSON.stringify(summary).slice(0, 500)}`)
    const counts = ['created', 'updated', 'unchanged'].map((k) => `${k} ${summary[k]!.length}`).join(', ')
    process.stdout.write(
      `${label.padEnd(14)} ${ms.toFixed(0).padStart(6)} ms  ${((offers.length / ms) * 1000).toFixed(0).padStart(6)} offers/s  ` +
        `(${(body.length / 1024 / 1024).toFixed(1)} MB; ${counts})\n`,
    )
  }

  const offers = Array.from({ length: count }, (_, i) => syntheticOffer(i))
  process.stdout.write(`sync of ${count} offers against PostgreSQL (${database.kind})\n`)
  await run('all new', offers)
  await run('10% changed', offers.map((offer, i) => (i % 10 === 0 ? { ...offer, title: { en: `${(offer.title as { en: string }).en} (2027 edition)` } } : offer)))
  await run('none changed', offers.map((offer, i) => (i % 10 === 0 ? { ...offer, title: { en: `${(offer.title as { en: string }).en} (2027 edition)` } } : offer)))
  await invalidDryRun(address, key, offers)
  await app.close()
} finally {
  await database.close()
  await scratch.drop()
}

/** A dry run whose every offer has 40 invalid language keys. */
async function invalidDryRun(address: string, key: string, offers: Array<Record<string, unknown>>) {
  const badTitle = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`invalid key ${i}`, 'x']))
  const body = JSON.stringify({ mode: 'upsert', offers: offers.map((offer) => ({ ...offer, title: badTitle })) })
  const delay = monitorEventLoopDelay({ resolution: 10 })
  const rssBefore = process.memoryUsage().rss
  delay.enable()
  const started = performance.now()
  const response = await fetch(`${address}/v1/institutions/measure.example/offers/sync?dryRun=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  })
  const report = await response.text()
  const ms = performance.now() - started
  delay.disable()
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
  process.stdout.write(
    `invalid dry run: ${offers.length} offers x 40 invalid keys (${mb(body.length)} MB): ${response.status} in ${ms.toFixed(0)} ms, ` +
      `report ${(report.length / 1024).toFixed(1)} KB; event-loop delay max ${(delay.max / 1e6).toFixed(0)} ms, ` +
      `p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; ` +
      `RSS ${mb(rssBefore)} -> ${mb(process.memoryUsage().rss)} MB\n`,
  )
}
