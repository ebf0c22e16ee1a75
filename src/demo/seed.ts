import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { SYSTEM_ACTOR, actingFor } from '../lib/caller.js'
import { count } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { alliances, apiClients, institutions } from '../db/schema.js'
import { createCatalogueService, createRunsService } from '../modules/catalogue/index.js'
import { createClientService } from '../modules/clients/index.js'
import { runWrite } from '../modules/journal/index.js'
import { createRegistryService } from '../modules/registry/index.js'
import { seedDemoDecisions } from './decisions.js'
import { DEMO_OFFERS } from './offers.js'
import { DEMO_ALLIANCES, DEMO_CLIENTS, DEMO_INSTITUTIONS } from './registry.js'
import { daysFrom, demoRuns } from './runs.js'

export interface DemoKey {
  role: string
  key: string
}

export interface DemoResult {
  /** False when the database already held data and nothing was loaded. */
  created: boolean
  keys: DemoKey[]
}

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  for (const table of [institutions, alliances, apiClients]) {
    const [row] = await db.select({ n: count() }).from(table)
    if ((row?.n ?? 0) > 0) return false
  }
  return true
}

/**
 * Loads the demo registry, catalogue and one client per role, through the same services as the
 * API, all in one transaction: when any write is refused (e.g. `--force` on a database already
 * holding a demo decision in force), nothing is written.
 */
export function seedDemo(db: Database): Promise<DemoKey[]> {
  // Each write's own transaction becomes a savepoint inside this one.
  return db.transaction((tx) => seedEach(tx))
}

async function seedEach(db: Database): Promise<DemoKey[]> {
  const registry = createRegistryService(db)
  const clients = createClientService(db)
  const catalogue = createCatalogueService(db)
  for (const { schac, ...input } of DEMO_INSTITUTIONS) await runWrite(db, SYSTEM_ACTOR, (write) => registry.putInstitution(write, schac, input, {}))
  for (const { slug, ...input } of DEMO_ALLIANCES) await runWrite(db, SYSTEM_ACTOR, (write) => registry.putAlliance(write, slug, input, {}))
  for (const { institution, externalId, offer } of DEMO_OFFERS) {
    await runWrite(db, actingFor(institution), (write) => catalogue.putOffer(write, institution, externalId, offer, {}))
  }
  const runs = createRunsService(db)
  for (const { institution, externalId, runId, run } of demoRuns(daysFrom(new Date()))) {
    await runWrite(db, actingFor(institution), (write) => runs.putRun(write, institution, externalId, runId, run, {}))
  }
  await seedDemoDecisions(db)
  const keys: DemoKey[] = []
  for (const { role, ...input } of DEMO_CLIENTS) {
    const created = await runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, input))
    keys.push({ role, key: created.key })
  }
  return keys
}

/**
 * Seeds an empty database. With a keys file (the embedded database's folder), the demo keys
 * are kept there so later starts can show them again; the API itself never shows a key twice.
 */
export async function seedDemoIfEmpty(db: Database, options: { keysFile?: string }): Promise<DemoResult | undefined> {
  if (!(await isDatabaseEmpty(db))) {
    if (options.keysFile && existsSync(options.keysFile)) {
      return { created: false, keys: JSON.parse(readFileSync(options.keysFile, 'utf8')) as DemoKey[] }
    }
    return undefined
  }
  const keys = await seedDemo(db)
  if (options.keysFile) writeFileSync(options.keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 })
  return { created: true, keys }
}
