import t from 'tap'
import { INSTITUTION_SCOPES } from '../src/lib/scopes.js'
import { bearer, startTestApp, testConfig } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { startReceiver, until } from './helpers/webhooks.js'

// One dispatcher with 4 slots, at most 2 of them for any one subscription: a subscriber whose
// endpoint hangs (or fails) with a backlog of older events must not hold up the others.
const receiver = await startReceiver(t)
const webhooks = {
  ...testConfig().webhooks,
  allowHttp: true,
  allowedAddresses: ['127.0.0.1/32'],
  pollIntervalMs: 20,
  concurrency: 4,
  concurrencyPerSubscription: 2,
  // Long enough that, were the slow subscriber given every slot, the others would visibly wait.
  attemptTimeoutMs: 20_000,
  retryDelaysMs: [50, 50, 50, 50, 50],
}
const ctx = await startTestApp(t, { config: { webhooks } })
const A = 'unibo.it'
await ctx.institution(A, 'IT')
const manager = bearer(await ctx.key(A, ['webhooks:manage']))
const writer = bearer(await ctx.key(A, [...INSTITUTION_SCOPES]))
const dispatcher = ctx.app.webhookDispatcher
t.teardown(() => dispatcher.stop())

let serial = 0
async function publish(count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const response = await ctx.app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/FAIR-${++serial}`, headers: writer, payload: completeOffer() })
    if (response.statusCode >= 300) throw new Error(response.body)
  }
}
async function subscribe(path: string): Promise<void> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: manager, payload: { url: receiver.url(path), events: ['offer.published'] } })
  if (response.statusCode !== 201) throw new Error(response.body)
}

t.test('a subscriber with a slow endpoint and a backlog takes at most its share of the slots', async (t) => {
  await subscribe('/slow')
  receiver.answer('/slow', ...Array.from({ length: 20 }, () => 'hang' as const))
  await publish(8)
  // Created later: its events are younger than the whole backlog of the slow subscriber.
  await subscribe('/quick')
  await publish(3)
  const started = Date.now()
  dispatcher.start()
  await until('the quick subscriber has all its events', () => receiver.at('/quick').length === 3, undefined, 400)
  t.ok(Date.now() - started < webhooks.attemptTimeoutMs, 'without waiting for the slow attempts to time out')
  t.equal(receiver.hanging(), 2, 'the slow subscriber has two attempts under way, no more')
})

t.test('a subscriber whose endpoint fails does not hold up the others', async (t) => {
  await subscribe('/failing')
  receiver.answer('/failing', ...Array.from({ length: 50 }, () => ({ status: 500 })))
  const quickBefore = receiver.at('/quick').length
  await publish(5)
  await until('the quick subscriber has the new events', () => receiver.at('/quick').length === quickBefore + 5, undefined, 400)
  t.ok(receiver.at('/failing').every((message) => message.path === '/failing') && receiver.at('/failing').length > 0, 'the failing subscriber was tried meanwhile')
  t.equal(receiver.hanging(), 2, 'the slow subscriber still holds only its two slots')
})
