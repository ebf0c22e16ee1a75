import t from 'tap'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { ADMIN_TOKEN } from './helpers/app.js'
import { createTestDatabase } from './helpers/database.js'
import { completeOffer } from './helpers/offers.js'
import { databaseEnv, startServer } from './helpers/process.js'
import { requires } from './helpers/requires.js'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

// Two server processes share one database and one rate-limit store.
await requires(t, 'postgres', 'redis')
const database = await createTestDatabase()
t.teardown(() => database.drop())
if (database.url !== undefined) {
  const db = database.handle.db
  await runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putInstitution(write, 'unibo.it', { name: { en: 'Bologna' }, country: 'IT' }, {}))
  const clients = createClientService(db)
  const newKey = async () =>
    runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: 'unibo.it', name: 'replica test', scopes: ['catalogue:write'] }))
  const env = { ...databaseEnv(database.url), REDIS_URL, ADMIN_TOKEN, RATE_LIMIT_MAX: '8', RATE_LIMIT_WINDOW_MS: '60000', SEED_DEMO: 'false' }
  const [a, b] = await Promise.all([startServer(env), startServer(env)])
  t.teardown(async () => {
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
    await Promise.all([a.exited, b.exited])
  })
  const call = (server: typeof a, path: string, init: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    })

  t.test('a key revoked through one replica is refused by the other at once', async (t) => {
    const client = await newKey()
    t.equal((await call(b, '/v1/institutions/unibo.it/offers/NONE', { key: client.key })).status, 404, 'the key works on B')
    t.equal((await call(a, `/v1/clients/${client.id}`, { method: 'DELETE', key: ADMIN_TOKEN })).status, 200)
    t.equal((await call(b, '/v1/institutions/unibo.it/offers/NONE', { key: client.key })).status, 401)
  })

  t.test('the rate limit is shared by both replicas', async (t) => {
    const { key } = await newKey()
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await call(i % 2 === 0 ? a : b, '/v1/institutions', { key })).status)
    t.same(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 429, 429])
  })

  t.test('an idempotent retry sent to the other replica replays', async (t) => {
    const { key } = await newKey()
    const body = { mode: 'upsert', offers: [{ externalId: 'REPLICA-1', ...completeOffer() }] }
    const headers = { 'idempotency-key': 'replica-retry-1' }
    const first = await call(a, '/v1/institutions/unibo.it/offers/sync', { method: 'POST', key, body, headers })
    t.equal(first.status, 200)
    const retry = await call(b, '/v1/institutions/unibo.it/offers/sync', { method: 'POST', key, body, headers })
    t.equal(retry.status, 200)
    t.equal(retry.headers.get('idempotent-replayed'), 'true')
    t.same(await retry.json(), await first.json())
  })

  t.test('concurrent syncs sent to both replicas do not interleave', async (t) => {
    const { key } = await newKey()
    const ids = Array.from({ length: 300 }, (_, i) => `REPLICA-SYNC-${i}`)
    const round = (tag: string) => ({ mode: 'upsert', offers: ids.map((externalId) => ({ externalId, ...completeOffer({ title: { en: tag } }) })) })
    const responses = await Promise.all([
      call(a, '/v1/institutions/unibo.it/offers/sync', { method: 'POST', key, body: round('from A') }),
      call(b, '/v1/institutions/unibo.it/offers/sync', { method: 'POST', key, body: round('from B') }),
    ])
    const statuses = responses.map((r) => r.status)
    t.ok(statuses.includes(200) && statuses.every((s) => s === 200 || s === 409), `statuses ${statuses}`)
    const titles = new Set<string>()
    for (let page: string | null = '', seen = 0; page !== null && seen < 20; seen++) {
      const response = (await (await call(a, `/v1/offers?institution=unibo.it&limit=100${page ? `&cursor=${encodeURIComponent(page)}` : ''}`)).json()) as {
        items: Array<{ externalId: string; title: { en: string } }>
        nextCursor: string | null
      }
      for (const offer of response.items) if (offer.externalId.startsWith('REPLICA-SYNC-')) titles.add(offer.title.en)
      page = response.nextCursor
    }
    t.equal(titles.size, 1, `one sync's content everywhere: ${[...titles]}`)
  })
}
