import t from 'tap'
import { buildApp } from '../src/app.js'
import { openDatabase } from '../src/db/client.js'
import { webhookAttempts, webhookDeliveries } from '../src/db/schema.js'
import { INSTITUTION_SCOPES } from '../src/lib/scopes.js'
import { bearer, startTestApp, testConfig } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { requires } from './helpers/requires.js'
import { startReceiver, until } from './helpers/webhooks.js'

// Two app instances, each with its own connection pool and its own dispatcher, on one
// PostgreSQL database: the replicas of a deployment.
await requires(t, 'postgres')
const receiver = await startReceiver(t)
const webhooks = { ...testConfig().webhooks, allowHttp: true, allowedAddresses: ['127.0.0.1/32'], pollIntervalMs: 20, attemptTimeoutMs: 30_000, retryDelaysMs: [50, 50, 50] }
const first = await startTestApp(t, { config: { webhooks } })
const secondHandle = await openDatabase({ databaseUrl: first.database.url!, poolMax: 5 })
const second = await buildApp({ config: first.config, database: secondHandle, logger: false })
await second.ready()
// A third replica with a short attempt time-out (so a short lease), to be stopped mid-delivery.
const hastyHandle = await openDatabase({ databaseUrl: first.database.url!, poolMax: 2 })
const hasty = await buildApp({ config: { ...first.config, webhooks: { ...webhooks, attemptTimeoutMs: 300 } }, database: hastyHandle, logger: false })
await hasty.ready()
t.teardown(async () => {
  await second.close()
  await secondHandle.close()
  await hasty.close()
  await hastyHandle.close()
})
const A = 'unibo.it'
await first.institution(A, 'IT')
const manager = bearer(await first.key(A, ['webhooks:manage']))
const writer = bearer(await first.key(A, [...INSTITUTION_SCOPES]))
const db = first.database.handle.db

async function subscribe(path: string): Promise<string> {
  const response = await first.app.inject({ method: 'POST', url: '/v1/webhooks', headers: manager, payload: { url: receiver.url(path), events: ['offer.published'] } })
  return response.json().id
}

t.test('two dispatchers deliver each event exactly once between them', async (t) => {
  first.app.webhookDispatcher.start()
  second.webhookDispatcher.start()
  const paths = ['/r1', '/r2', '/r3']
  const ids = await Promise.all(paths.map(subscribe))
  const offers = 40
  const sync = await first.app.inject({
    method: 'POST',
    url: `/v1/institutions/${A}/offers/sync`,
    headers: writer,
    payload: { mode: 'upsert', offers: Array.from({ length: offers }, (_, n) => ({ externalId: `REPLICA-${n}`, ...completeOffer() })) },
  })
  t.equal(sync.statusCode, 200)
  const settled = async () => (await db.select().from(webhookDeliveries)).filter((d) => ids.includes(d.subscriptionId))
  await until('every delivery has succeeded', async () => {
    const rows = await settled()
    return rows.length === offers * paths.length && rows.every((d) => d.status === 'succeeded')
  }, undefined, 800)
  for (const path of paths) {
    const messages = receiver.at(path).map((m) => String(m.headers['webhook-id']))
    t.equal(messages.length, offers, `${path}: ${offers} messages`)
    t.equal(new Set(messages).size, offers, `${path}: none twice`)
  }
  const failures = (await db.select().from(webhookAttempts)).filter((a) => a.statusCode !== 200)
  t.same(failures.map((a) => a.error), [], 'no attempt failed')
  t.ok((await settled()).every((d) => d.attempts === 1), 'each delivery was claimed once')
  await Promise.all([first.app.webhookDispatcher.stop(), second.webhookDispatcher.stop()])
})

t.test('a dispatcher stopped mid-delivery loses nothing: the other delivers it when the lease runs out', async (t) => {
  const id = await subscribe('/stopped')
  receiver.answer('/stopped', 'hang')
  await first.app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/STOPPED-1`, headers: writer, payload: completeOffer() })
  const dispatcherA = hasty.webhookDispatcher
  // drain() would wait for the hanging attempt: run it in the background.
  const running = dispatcherA.drain()
  await until('the attempt is under way', () => receiver.hanging() >= 1)
  await dispatcherA.stop()
  await running
  const [pending] = (await db.select().from(webhookDeliveries)).filter((d) => d.subscriptionId === id)
  t.equal(pending!.status, 'pending', 'the interrupted attempt is not recorded as an outcome')
  await until('the other replica delivers it', () => receiver.at('/stopped').length === 1, () => second.webhookDispatcher.drain(), 800)
  const [delivered] = (await db.select().from(webhookDeliveries)).filter((d) => d.subscriptionId === id)
  t.equal(delivered!.status, 'succeeded')
  t.equal(delivered!.attempts, 2, 'the interrupted attempt and the one that went through')
})
