import type { FastifyInstance } from 'fastify'
import { SYSTEM_ACTOR } from '../../src/lib/caller.js'
import { INSTITUTION_SCOPES, type Scope } from '../../src/lib/scopes.js'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { createClientService } from '../../src/modules/clients/index.js'
import { runWrite } from '../../src/modules/journal/index.js'
import { createRegistryService } from '../../src/modules/registry/index.js'
import { createTestDatabase, type TestDatabase } from './database.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface TestContext {
  app: FastifyInstance
  database: TestDatabase
  config: Config
  /** Registers an institution directly through the service. */
  institution(schac: string, country?: string): Promise<void>
  /** Creates a client and returns its key. */
  key(institution: string | null, scopes: Scope[]): Promise<string>
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Suites send thousands of requests from one address on a busy machine: limits and load
  // shedding are tested on their own (test/limits.test.ts). The background workers (webhook
  // dispatcher, search indexer) are driven by the tests that need them (drain()).
  const config = loadConfig({ ADMIN_TOKEN, LOG_LEVEL: 'silent', SEED_DEMO: 'false' })
  return { ...config, rateLimitMax: 1_000_000, rateLimitAnonymousMax: 1_000_000, authFailureLimitMax: 1_000_000, maxEventLoopDelayMs: 0, webhooks: { ...config.webhooks, dispatcher: false }, searchIndexer: { ...config.searchIndexer, enabled: false }, ...overrides }
}

/**
 * An app on its own database, closed and dropped when the test ends. `beforeReady` may add
 * routes (for fault tests) before the app is sealed.
 */
export async function startTestApp(
  t: Teardown,
  options: {
    config?: Partial<Config>
    pglite?: boolean
    /** PostgreSQL extensions to create in the test's database before its migrations. */
    extensions?: string[]
    logger?: Parameters<typeof buildApp>[0]['logger']
    beforeReady?: (app: FastifyInstance) => void
    ooapiRuns?: Parameters<typeof buildApp>[0]['ooapiRuns']
  } = {},
): Promise<TestContext> {
  const database = await createTestDatabase({ pglite: options.pglite, extensions: options.extensions })
  const config = testConfig(options.config)
  const app = await buildApp({ config, database: database.handle, logger: options.logger ?? false, ooapiRuns: options.ooapiRuns })
  options.beforeReady?.(app)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  const registry = createRegistryService(database.handle.db)
  const clients = createClientService(database.handle.db)
  return {
    app,
    database,
    config,
    async institution(schac, country = 'BE') {
      await runWrite(database.handle.db, SYSTEM_ACTOR, (write) => registry.putInstitution(write, schac, { name: { en: `Institution ${schac}` }, country }, {}))
    },
    async key(institution, scopes) {
      const input = { institution, name: 'test client', scopes }
      return (await runWrite(database.handle.db, SYSTEM_ACTOR, (write) => clients.create(write, input))).key
    },
  }
}

/**
 * unibo.it (IT), the offering institution, and kuleuven.be (BE), its partner, each with a
 * client holding every institution scope and recognition:read.
 */
export async function ownerAndPartner(ctx: TestContext): Promise<{ owner: { authorization: string }; partner: { authorization: string } }> {
  await ctx.institution('unibo.it', 'IT')
  await ctx.institution('kuleuven.be', 'BE')
  return {
    owner: bearer(await ctx.key('unibo.it', [...INSTITUTION_SCOPES, 'webhooks:manage'])),
    partner: bearer(await ctx.key('kuleuven.be', [...INSTITUTION_SCOPES])),
  }
}

export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` }
}

export const admin = bearer(ADMIN_TOKEN)
