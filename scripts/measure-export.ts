// Measures `npm run export`'s streaming on real PostgreSQL: the memory an ELM dataset export, and
// a LOQ XML export, of 1,000 and of 10,000 offers holds at its peak (sampled every 10 ms; uncollected garbage
// included), what it still holds after a GC, and how long it takes.
//   npm run measure:export -- [--server postgres://postgres@127.0.0.1:5432/postgres] [--offers 10000]
// Creates a throwaway database on that server and drops it afterwards.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { createExportService, type DatasetFormat } from '../src/modules/exports/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { NQF_LEVELS } from '../src/vocabularies/index.js'
import { createScratchDatabase } from './lib/scratch-database.js'
import { syntheticOffer } from './lib/synthetic-offers.js'

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    offers: { type: 'string', default: '10000' },
  },
})
const large = Number(values.offers)
const small = Math.max(1, Math.round(large / 10))
/** German DQR levels 5–8, for the synthetic offers' EQF levels 5–8. */
const DQR = (level: number) => NQF_LEVELS.find((entry) => entry.label === `DQR Level ${level}`)!.uri

/** A synthetic offer with what an ELM export needs besides Annex I. */
function exportableOffer(i: number): Record<string, unknown> {
  const offer = syntheticOffer(i)
  const qa = offer.qualityAssurance as { type: string; agency?: object }
  return {
    ...offer,
    homepage: `https://measure.example/offers/${i}`,
    nqfLevels: [DQR(offer.eqfLevel as number)],
    qualityAssurance: qa.agency ? { ...qa, agency: { ...qa.agency, country: 'DE' }, level: 'institutional' } : qa,
  }
}

const scratch = await createScratchDatabase(values.server!)
const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-measure-export-'))
const database = await openDatabase({ databaseUrl: scratch.url.toString(), statementTimeoutMs: 120_000 })
try {
  await database.migrate()
  const registry = createRegistryService(database.db)
  const clients = createClientService(database.db)
  const app = await buildApp({ config: { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: scratch.url.toString() }, database, logger: false })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  for (const [schac, count] of [['small.example', small], ['large.example', large]] as const) {
    await runWrite(database.db, SYSTEM_ACTOR, (write) => registry.putInstitution(write, schac, { name: { en: schac }, country: 'DE' }, {}))
    const { key } = await runWrite(database.db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: schac, name: 'measure', scopes: ['catalogue:write'] }))
    for (let from = 0; from < count; from += 5000) {
      const offers = Array.from({ length: Math.min(5000, count - from) }, (_, i) => exportableOffer(from + i))
      const response = await fetch(`${address}/v1/institutions/${schac}/offers/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'upsert', offers }),
      })
      if (response.status !== 200) throw new Error(`sync ${schac}: ${response.status} ${(await response.text()).slice(0, 500)}`)
    }
  }
  await app.close()

  const exports = createExportService(database.db)
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
  const runs = (['elm', 'loq-xml'] as const satisfies readonly DatasetFormat[]).flatMap((format) =>
    ([['small.example', small], ['large.example', large]] as const).map(([schac, count]) => ({ format, schac, count })))
  for (const { format, schac, count } of runs) {
    global.gc?.()
    const before = process.memoryUsage()
    const peak = { rss: before.rss, heapUsed: before.heapUsed }
    const sampler = setInterval(() => {
      const now = process.memoryUsage()
      peak.rss = Math.max(peak.rss, now.rss)
      peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed)
    }, 10)
    const file = path.join(dir, `${schac}.${format}`)
    const out = createWriteStream(file)
    const started = performance.now()
    let skipped = 0
    for await (const chunk of exports.dataset({ institution: schac }, format, { baseUrl: 'https://measure.example', elmVersion: '3.1', skipped: () => skipped++ })) {
      if (!out.write(chunk)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    clearInterval(sampler)
    const ms = performance.now() - started
    global.gc?.()
    const retained = process.memoryUsage().heapUsed - before.heapUsed
    process.stdout.write(
      `${format.padEnd(7)} ${String(count).padStart(6)} offers: ${ms.toFixed(0).padStart(6)} ms, ${mb(statSync(file).size).padStart(9)} written, ${skipped} skipped; ` +
        `peak heap used ${mb(peak.heapUsed - before.heapUsed)} above the start (garbage included), ${mb(retained)} after a GC; ` +
        `peak RSS ${mb(peak.rss)} (${mb(peak.rss - before.rss)} above the start)\n`,
    )
  }
} finally {
  await database.close()
  await scratch.drop()
  rmSync(dir, { recursive: true, force: true })
}
