import t from 'tap'
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
