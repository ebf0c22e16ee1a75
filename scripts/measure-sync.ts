// Measures a 5,000-offer sync on real PostgreSQL: all new, 10% changed, none changed.
//   npm run measure:sync -- [--server postgres://postgres@127.0.0.1:5432/postgres] [--offers 5000]
// Creates a throwaway database on that server and drops it afterwards.
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { syntheticOffer } from './lib/synthetic-offers.js'

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    offers: { type: 'string', default: '5000' },
  },
})
const count = Number(values.offers)
const name = `passerelle_measure_${randomBytes(4).toString('hex')}`

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: values.server })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

await admin(`create database "${name}"`)
const url = new URL(values.server!)
url.pathname = `/${name}`
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
  await app.close()
} finally {
  await database.close()
  await admin(`drop database if exists "${name}" with (force)`)
}
