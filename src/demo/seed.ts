import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { SYSTEM_ACTOR, actingFor } from '../lib/actor.js'
import { count } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { alliances, apiClients, institutions } from '../db/schema.js'
import { createCatalogueService } from '../modules/catalogue/service.js'
import { createClientService } from '../modules/clients/service.js'
import { createRegistryService } from '../modules/registry/service.js'
import { seedDemoDecisions } from './decisions.js'
import { DEMO_OFFERS } from './offers.js'
import { DEMO_ALLIANCES, DEMO_CLIENTS, DEMO_INSTITUTIONS } from './registry.js'

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

/** Loads the demo registry, catalogue and one client per role, through the same services as the API. */
export async function seedDemo(db: Database): Promise<DemoKey[]> {
  const registry = createRegistryService(db)
  const clients = createClientService(db)
  const catalogue = createCatalogueService(db)
  for (const { schac, ...input } of DEMO_INSTITUTIONS) await registry.putInstitution(SYSTEM_ACTOR, schac, input, {})
  for (const { slug, ...input } of DEMO_ALLIANCES) await registry.putAlliance(SYSTEM_ACTOR, slug, input, {})
  for (const { institution, externalId, offer } of DEMO_OFFERS) {
    await catalogue.putOffer(actingFor(institution), institution, externalId, offer, {})
  }
  await seedDemoDecisions(db)
  const keys: DemoKey[] = []
  for (const { role, ...input } of DEMO_CLIENTS) {
    const created = await db.transaction((tx) => clients.create(SYSTEM_ACTOR, input, tx))
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
