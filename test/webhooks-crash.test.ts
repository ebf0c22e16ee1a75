import t, { type Test } from 'tap'
import { webhookDeliveries } from '../src/db/schema.js'
import { INSTITUTION_SCOPES } from '../src/lib/scopes.js'
import { bearer, startTestApp, testConfig } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { databaseEnv, startServer, type ServerProcess } from './helpers/process.js'
import { requires } from './helpers/requires.js'
import { startReceiver, until } from './helpers/webhooks.js'

// A real dispatcher in a server process of its own, killed with SIGKILL while deliveries are
// under way (no shutdown hook runs, nothing is recorded for them); a second process takes over
// when their leases run out, and every event reaches every subscriber at least once.
await requires(t, 'postgres')
const receiver = await startReceiver(t)
const ctx = await startTestApp(t, { config: { webhooks: { ...testConfig().webhooks, allowHttp: true } } })
const A = 'unibo.it'
await ctx.institution(A, 'IT')
const manager = bearer(await ctx.key(A, ['webhooks:manage']))
const writer = bearer(await ctx.key(A, [...INSTITUTION_SCOPES]))
const db = ctx.database.handle.db

const env = {
  ...databaseEnv(ctx.database.url),
  SEED_DEMO: 'false',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
  WEBHOOK_POLL_INTERVAL_MS: '20',
  // A short attempt time-out makes a short lease (2 × 1 s + 1 s): the second process need not wait long.
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_CONCURRENCY: '8',
  WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '4',
}
const servers: ServerProcess[] = []
t.teardown(async () => {
  for (const server of servers) server.child.kill('SIGKILL')
  await Promise.all(servers.map((server) => server.exited))
})

t.test('a dispatcher killed mid-delivery loses nothing: another process delivers every event', async (t) => {
  const paths = ['/steady', '/stalled']
  for (const path of paths) {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: manager, payload: { url: receiver.url(path), events: ['offer.published'] } })
    t.equal(response.statusCode, 201)
  }
  // The stalled subscriber leaves its first attempts unanswered: they are under way at the kill.
  receiver.answer('/stalled', 'hang', 'hang', 'hang', 'hang')
  const offers = 30
  const sync = await ctx.app.inject({
    method: 'POST',
    url: `/v1/institutions/${A}/offers/sync`,
    headers: writer,
    payload: { mode: 'upsert', offers: Array.from({ length: offers }, (_, n) => ({ externalId: `CRASH-${n}`, ...completeOffer() })) },
  })
  t.equal(sync.statusCode, 200)

  const first = await startServer(env)
  servers.push(first)
  await until('attempts are under way in the first process', () => receiver.hanging() === 4, undefined, 800)
  first.child.kill('SIGKILL')
  t.equal(await first.exited, null, 'killed by a signal, not exited')

  const rows = await db.select().from(webhookDeliveries)
  t.equal(rows.length, offers * paths.length, 'every event was queued for both subscribers before the kill')
  const interrupted = rows.filter((row) => row.status === 'pending' && row.attempts > 0)
  t.ok(interrupted.length >= 4, `deliveries claimed but not finished at the kill (${interrupted.length})`)

  const second = await startServer(env)
  servers.push(second)
  const ids = (path: string) => new Set(receiver.at(path).map((message) => String(message.headers['webhook-id'])))
  await until('every event reached both subscribers', () => paths.every((path) => ids(path).size === offers), undefined, 1200)
  await until('every delivery is recorded as succeeded', async () => (await db.select().from(webhookDeliveries)).every((row) => row.status === 'succeeded'), undefined, 400)
  const sequences = receiver.at('/stalled').map((message) => JSON.parse(message.body).data.sequence as number)
  t.equal(new Set(sequences).size, offers, 'the stalled subscriber got every sequence')
  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0)
  servers.length = 0
})

type Db = typeof ctx.database.handle.db

/**
 * A dispatcher of its own on the test database, seen through `faulty` (which may refuse a
 * statement), with its own settings; and the messages it logs.
 */
async function dispatcherOver(t: Test, faulty: (db: Db) => Partial<Db>, webhooks: Partial<typeof ctx.config.webhooks>) {
  const { createDispatcher } = await import('../src/modules/webhooks/dispatcher.js')
  const realDb = ctx.database.handle.db
  const db = Object.assign(Object.create(realDb) as Db, faulty(realDb))
  const logged: string[] = []
  const log = { error: (_: unknown, message: string) => logged.push(message), warn: (_: unknown, message: string) => logged.push(message) }
  const dispatcher = createDispatcher(db, { ...ctx.config.webhooks, allowHttp: true, allowedAddresses: ['127.0.0.1/32'], ...webhooks }, log as never)
  t.teardown(() => dispatcher.stop())
  return { dispatcher, logged }
}

async function subscribeAndPublish(path: string, offer: string): Promise<string> {
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: manager, payload: { url: receiver.url(path), events: ['offer.published'] } })
  if (created.statusCode !== 201) throw new Error(created.body)
  await ctx.app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/${offer}`, headers: writer, payload: completeOffer() })
  return created.json().id as string
}

t.test('outcomes that cannot be written are not lost: the delivery is sent again when its lease runs out', async (t) => {
  const path = '/unrecorded'
  // The database refuses the first transaction after the first attempt has arrived: its outcome cannot be written.
  let refusals = 0
  const { dispatcher, logged } = await dispatcherOver(t, (realDb) => ({
    transaction: ((work: Parameters<Db['transaction']>[0]) => {
      if (receiver.at(path).length === 1 && refusals === 0) {
        refusals++
        return Promise.reject(new Error('the database went away'))
      }
      return realDb.transaction(work)
    }) as Db['transaction'],
  }), { attemptTimeoutMs: 200 })
  const id = await subscribeAndPublish(path, 'UNRECORDED-1')
  await dispatcher.drain()
  t.equal(receiver.at(path).length, 1, 'sent once')
  t.same(logged, ['webhook outcomes could not be recorded'])
  const [pending] = (await db.select().from(webhookDeliveries)).filter((row) => row.subscriptionId === id)
  t.equal(pending!.status, 'pending', 'not recorded as delivered')
  await until('sent again once the lease ran out, and recorded', async () => {
    const [row] = (await db.select().from(webhookDeliveries)).filter((delivery) => delivery.subscriptionId === id)
    return row!.status === 'succeeded'
  }, () => dispatcher.drain(), 400)
  t.equal(receiver.at(path).length, 2, 'at least once: the subscriber got it twice, with one webhook-id')
  t.equal(new Set(receiver.at(path).map((message) => message.headers['webhook-id'])).size, 1)
})

t.test('a round that fails (the database unreachable) is logged, and the next one delivers', async (t) => {
  const path = '/after-outage'
  // The first statement of the first round fails.
  let outages = 1
  const { dispatcher, logged } = await dispatcherOver(t, (realDb) => ({
    execute: ((query: Parameters<Db['execute']>[0]) => {
      if (outages > 0) {
        outages--
        return Promise.reject(new Error('connection refused'))
      }
      return realDb.execute(query)
    }) as Db['execute'],
  }), { pollIntervalMs: 20 })
  await subscribeAndPublish(path, 'OUTAGE-1')
  dispatcher.start()
  await until('delivered by a later round', () => receiver.at(path).length === 1, undefined, 400)
  t.same(logged, ['webhook dispatcher round failed'])
})
