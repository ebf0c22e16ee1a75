import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults give a working development set-up on the embedded database', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.equal(config.databaseUrl, undefined)
  t.equal(config.seedDemo, true)
  t.equal(config.migrateOnStart, true)
  t.match(config.pgliteDataDir, /data$/)
})

t.test('every bad variable is reported at once, by name', async (t) => {
  const error = t.throws(() =>
    loadConfig({ PORT: '-1', DATABASE_URL: 'mysql://x', ADMIN_TOKEN: 'short', MIGRATE_ON_START: 'maybe', DB_POOL_MAX: '0' }),
  ) as ConfigError
  t.ok(error instanceof ConfigError)
  const text = error.problems.join('\n')
  for (const name of ['PORT', 'DATABASE_URL', 'ADMIN_TOKEN', 'MIGRATE_ON_START', 'DB_POOL_MAX']) t.match(text, name)
  t.equal(error.problems.length, 5)
})

t.test('production requires a cursor secret of its own', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /CURSOR_SECRET is required/)
  const config = loadConfig({ NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://db/passerelle' })
  t.equal(config.seedDemo, false, 'no demo data on a real PostgreSQL unless asked')
  t.same(loadConfig({ CORS_ORIGINS: 'https://a.example.eu, https://b.example.eu' }).corsOrigins, ['https://a.example.eu', 'https://b.example.eu'])
})

t.test('ooapi: the service root\'s contact from OOAPI_CONTACT_EMAIL, its URLs from PUBLIC_BASE_URL', async (t) => {
  t.same(loadConfig({}).ooapi, { publicBaseUrl: undefined, contactEmail: undefined })
  t.same(loadConfig({ OOAPI_CONTACT_EMAIL: 'catalogue@example.eu', PUBLIC_BASE_URL: 'https://api.example.eu' }).ooapi, { publicBaseUrl: 'https://api.example.eu', contactEmail: 'catalogue@example.eu' })
  t.throws(() => loadConfig({ OOAPI_CONTACT_EMAIL: 'catalogue' }), /OOAPI_CONTACT_EMAIL must be an e-mail address/)
})

t.test('exports: ELM 3.1 unless ELM_VERSION says 3.3; URIs from PUBLIC_BASE_URL', async (t) => {
  t.same(loadConfig({}).exports, { publicBaseUrl: undefined, elmVersion: '3.1' })
  t.same(loadConfig({ ELM_VERSION: '3.3', PUBLIC_BASE_URL: 'https://api.example.eu/' }).exports, { publicBaseUrl: 'https://api.example.eu', elmVersion: '3.3' })
  t.throws(() => loadConfig({ ELM_VERSION: '3.2' }), /ELM_VERSION must be one of 3\.1, 3\.3/)
})
