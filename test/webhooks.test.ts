import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { webhookDeliveries } from '../src/db/schema.js'
import { INSTITUTION_SCOPES } from '../src/lib/scopes.js'
import { bearer, startTestApp, testConfig, type TestContext } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { startReceiver, until } from './helpers/webhooks.js'

const A = 'unibo.it'
const B = 'kuleuven.be'
const receiver = await startReceiver(t)

async function setUp(webhooks: Partial<ReturnType<typeof testConfig>['webhooks']>): Promise<TestContext> {
  const base = testConfig().webhooks
  const ctx = await startTestApp(t, { config: { webhooks: { ...base, allowHttp: true, retryDelaysMs: [30, 30, 30], ...webhooks } } })
  await ctx.institution(A, 'IT')
  await ctx.institution(B, 'BE')
  return ctx
}

// The local receiver is on 127.0.0.1: only the operator allow-list lets the dispatcher reach it.
const ctx = await setUp({ allowedAddresses: ['127.0.0.1/32'] })
const { app } = ctx
const dispatcher = app.webhookDispatcher
const round = () => dispatcher.drain()
const ownerKey = bearer(await ctx.key(A, [...INSTITUTION_SCOPES, 'webhooks:manage']))
const otherKey = bearer(await ctx.key(B, [...INSTITUTION_SCOPES, 'webhooks:manage']))
const blindKey = bearer(await ctx.key(A, ['webhooks:manage']))
const decisionWriterKey = bearer(await ctx.key(A, ['webhooks:manage', 'recognition:write']))
const writerA = bearer(await ctx.key(A, [...INSTITUTION_SCOPES]))
const writerB = bearer(await ctx.key(B, [...INSTITUTION_SCOPES]))

async function subscribe(key: Record<string, string>, path: string, body: Record<string, unknown> = {}) {
  const response = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: key, payload: { url: receiver.url(path), events: ['offer', 'recognition', 'institution'], ...body } })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json() as { id: string; secret: string }
}
let serial = 0
const putOffer = async (institution: string, key: Record<string, string>, body: object = completeOffer()) =>
  (await app.inject({ method: 'PUT', url: `/v1/institutions/${institution}/offers/WH-${++serial}`, headers: key, payload: body })).json()
const parsed = (path: string) => receiver.at(path).map((message) => JSON.parse(message.body))
const deliveriesOf = async (key: Record<string, string>, id: string) => (await app.inject({ url: `/v1/webhooks/${id}/deliveries?limit=100`, headers: key })).json().items as any[]

t.test('subscriptions: create (secret once), get, list, update, pause, resume, delete', async (t) => {
  const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...ownerKey, 'idempotency-key': 'wh-create-1' }, payload: { url: receiver.url('/crud'), events: ['offer.published'] } })
  t.equal(created.statusCode, 201)
  const subscription = created.json()
  t.match(subscription.secret, /^whsec_/)
  t.equal(created.headers.location, `/v1/webhooks/${subscription.id}`)
  t.equal(subscription.status, 'active')
  const retried = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...ownerKey, 'idempotency-key': 'wh-create-1' }, payload: { url: receiver.url('/crud'), events: ['offer.published'] } })
  t.equal(retried.statusCode, 409, 'a retry does not show the secret again')
  t.equal(retried.json().code, 'SECRET_NOT_REPLAYABLE')

  const got = (await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })).json()
  t.notOk('secret' in got, 'the secret is never shown again')
  t.equal(got.url, receiver.url('/crud'))
  const list = (await app.inject({ url: '/v1/webhooks', headers: ownerKey })).json()
  t.ok(list.items.some((item: any) => item.id === subscription.id))
  t.notOk((await app.inject({ url: '/v1/webhooks', headers: otherKey })).json().items.some((item: any) => item.id === subscription.id), 'another client does not list it')

  const fetched = await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
  t.equal(fetched.headers.etag, '"1"')
  t.equal((await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: { ...ownerKey, 'if-none-match': '"1"' } })).statusCode, 304)
  const change = { url: receiver.url('/crud2'), events: ['offer'], institutions: [A] }
  t.equal((await app.inject({ method: 'PUT', url: `/v1/webhooks/${subscription.id}`, headers: { ...ownerKey, 'if-match': '"7"' }, payload: change })).statusCode, 412)
  const updated = await app.inject({ method: 'PUT', url: `/v1/webhooks/${subscription.id}`, headers: { ...ownerKey, 'if-match': '"1"' }, payload: change })
  t.equal(updated.statusCode, 200)
  t.equal(updated.headers.etag, '"2"')
  t.same([updated.json().url, updated.json().events, updated.json().institutions, updated.json().version], [receiver.url('/crud2'), ['offer'], [A], 2])
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/pause`, headers: ownerKey })).json().status, 'paused')
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/resume`, headers: ownerKey })).json().status, 'active')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })).statusCode, 404)
})

t.test('URLs with credentials, or not http(s), are refused', async (t) => {
  for (const url of [`http://user:secret@127.0.0.1:${receiver.port}/`, 'ftp://example.org/', 'relative/path']) {
    const response = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: ownerKey, payload: { url, events: ['offer'] } })
    t.equal(response.statusCode, 422, url)
    t.equal(response.json().errors[0].pointer, '/url')
  }
})

t.test('another client can neither see nor change a subscription', async (t) => {
  const { id } = await subscribe(ownerKey, '/isolated')
  for (const [method, url] of [['GET', `/v1/webhooks/${id}`], ['PUT', `/v1/webhooks/${id}`], ['DELETE', `/v1/webhooks/${id}`], ['POST', `/v1/webhooks/${id}/pause`], ['POST', `/v1/webhooks/${id}/rotate-secret`], ['POST', `/v1/webhooks/${id}/ping`], ['GET', `/v1/webhooks/${id}/deliveries`], ['POST', `/v1/webhooks/${id}/replay`]] as const) {
    const payload = method === 'PUT' ? { url: receiver.url('/stolen'), events: ['offer'] } : url.endsWith('replay') ? { fromSequence: 0 } : undefined
    const response = await app.inject({ method, url, headers: otherKey, ...(payload ? { payload } : {}) })
    t.equal(response.statusCode, 404, `${method} ${url}`)
  }
  const after = (await app.inject({ url: `/v1/webhooks/${id}`, headers: ownerKey })).json()
  t.same([after.status, after.version, after.url], ['active', 1, receiver.url('/isolated')])
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: ownerKey })
})

t.test('a change is delivered, signed (verified by the reference implementation), thin, with its feed sequence', async (t) => {
  const subscription = await subscribe(ownerKey, '/deliver', { events: ['offer'] })
  const offer = await putOffer(A, writerA)
  await until('the offer change is delivered', () => receiver.at('/deliver').length >= 1, round)
  const [message] = receiver.at('/deliver')
  const payload = new Webhook(subscription.secret).verify(message!.body, message!.headers as Record<string, string>) as any
  const changes = (await app.inject({ url: '/v1/changes?type=offer', headers: writerA })).json().items
  const change = changes.find((entry: any) => entry.id === offer.id)
  t.same(payload.data, { ...change, url: `/v1/offers/${offer.id}` }, 'the feed entry and where to fetch it, nothing more')
  t.equal(payload.type, `offer.${change.action}`)
  t.equal(message!.headers['webhook-id'], `msg_seq_${change.sequence}`)
  // The body is what the OpenAPI document's `webhooks` section says it is.
  const document = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'))
  const ajv = new Ajv2020({ strict: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'https://passerelle.invalid/openapi.json' })
  const schemaOf = (name: string) => ajv.compile({ $ref: `https://passerelle.invalid/openapi.json#/webhooks/${name}/post/requestBody/content/application~1json/schema` })
  const validChange = schemaOf('change')
  t.ok(validChange(payload), ajv.errorsText(validChange.errors))
  const [delivery] = await deliveriesOf(ownerKey, subscription.id)
  t.equal(delivery.status, 'succeeded')
  t.equal(delivery.log[0].statusCode, 200)
  t.equal(delivery.log[0].responseBody, 'answer 200')
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('visibility: private changes reach only subscribers who may read them', async (t) => {
  const own = await subscribe(ownerKey, '/vis-own')
  const other = await subscribe(otherKey, '/vis-other')
  const blind = await subscribe(blindKey, '/vis-blind')
  const decisionWriter = await subscribe(decisionWriterKey, '/vis-writer')
  const draft = await putOffer(A, writerA, { title: { en: 'Private draft' }, status: 'draft' })
  const live = await putOffer(B, writerB)
  const decision = (
    await app.inject({
      method: 'POST',
      url: '/v1/recognitions',
      headers: writerA,
      payload: { offerId: live.id, scope: 'individual', learnerRef: 'wh-learner-1', purpose: 'exemption', outcome: 'full', creditsRecognised: 3 },
    })
  ).json()
  // The feed as each subscriber's client reads it is what each subscription receives.
  const expected = async (key: Record<string, string>, from: number) =>
    (await app.inject({ url: `/v1/changes?after=${from}&limit=1000`, headers: key })).json().items.map((entry: any) => entry.sequence).sort()
  const delivered = (path: string) => [...new Set(parsed(path).map((m) => m.data.sequence))].sort()
  const from = (await app.inject({ url: `/v1/webhooks/${own.id}`, headers: ownerKey })).json().fromSequence
  const cases = [['/vis-own', ownerKey], ['/vis-other', otherKey], ['/vis-blind', blindKey], ['/vis-writer', decisionWriterKey]] as const
  await until('each subscriber receives what its client may read in the feed', async () => {
    for (const [path, key] of cases) if (JSON.stringify(delivered(path)) !== JSON.stringify(await expected(key, from))) return false
    return true
  }, round)
  for (const [path, key] of cases) t.same(delivered(path), await expected(key, from), `${path}: the feed as its client reads it`)
  t.ok(parsed('/vis-own').some((m) => m.data.id === draft.id) && parsed('/vis-own').some((m) => m.data.id === decision.id), 'the owner receives its draft and its individual decision')
  t.notOk(parsed('/vis-other').some((m) => m.data.id === draft.id), 'another institution does not receive the draft')
  t.ok(parsed('/vis-blind').some((m) => m.data.id === draft.id), 'the owner\'s client without recognition:read receives the draft')
  t.notOk(parsed('/vis-blind').some((m) => m.data.id === decision.id), 'but not the individual decision')
  t.ok(parsed('/vis-writer').some((m) => m.data.id === decision.id), 'a client that records decisions receives those its institution recorded')
  const decisionEntry = (await app.inject({ url: `/v1/changes?after=${from}&type=recognition&limit=1000`, headers: ownerKey })).json().items.find((entry: any) => entry.id === decision.id)
  const decisionMessage = parsed('/vis-own').find((m) => m.data.id === decision.id)
  t.same(decisionMessage.data, { ...decisionEntry, url: `/v1/recognitions/${decision.id}` }, 'a decision\'s message is its feed entry, dates included')
  t.same([decisionMessage.data.validFrom, decisionMessage.data.validUntil], [decision.validFrom, null], 'the decision\'s validity period as recorded')
  for (const body of receiver.received.map((m) => m.body)) t.notMatch(body, /wh-learner-1/, 'never a learner reference')
  for (const { id } of [own, other, blind]) await app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: id === other.id ? otherKey : id === blind.id ? blindKey : ownerKey })
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${decisionWriter.id}`, headers: decisionWriterKey })
})

t.test('filters: event actions, institutions, alliances', async (t) => {
  await app.inject({ method: 'PUT', url: '/v1/alliances/wh-alliance', headers: bearer(ctx.config.adminToken!), payload: { name: 'WH', members: [B] } })
  const byAction = await subscribe(ownerKey, '/f-action', { events: ['offer.withdrawn'] })
  const byInstitution = await subscribe(ownerKey, '/f-inst', { events: ['offer'], institutions: [B] })
  const byAlliance = await subscribe(ownerKey, '/f-alliance', { events: ['offer'], alliances: ['wh-alliance'] })
  const offerA = await putOffer(A, writerA)
  const offerB = await putOffer(B, writerB)
  await app.inject({ method: 'DELETE', url: `/v1/institutions/${A}/offers/WH-${serial - 1}`, headers: writerA })
  await until('the filtered deliveries arrive', () => parsed('/f-action').length >= 1 && parsed('/f-inst').length >= 1 && parsed('/f-alliance').length >= 1, round)
  await round()
  t.same(parsed('/f-action').map((m) => [m.data.id, m.data.action]), [[offerA.id, 'withdrawn']])
  t.same([...new Set(parsed('/f-inst').map((m) => m.data.id))], [offerB.id])
  t.same([...new Set(parsed('/f-alliance').map((m) => m.data.id))], [offerB.id])
  for (const { id } of [byAction, byInstitution, byAlliance]) await app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: ownerKey })
})

t.test('retries: 5xx and time-outs are retried (Retry-After honoured), only 2xx succeeds, redirects are not followed', async (t) => {
  const subscription = await subscribe(ownerKey, '/retry', { events: ['offer.published'] })
  receiver.answer('/retry', { status: 500 }, { status: 302, headers: { location: receiver.url('/elsewhere') } }, { status: 503, headers: { 'retry-after': '0' } })
  const offer = await putOffer(A, writerA)
  await until('delivered after three failures', async () => (await deliveriesOf(ownerKey, subscription.id))[0]?.status === 'succeeded', round)
  const [delivery] = await deliveriesOf(ownerKey, subscription.id)
  t.same(delivery.log.map((attempt: any) => attempt.statusCode), [500, 302, 503, 200])
  t.equal(delivery.attempts, 4)
  t.equal(receiver.at('/elsewhere').length, 0, 'the redirect was not followed')
  const ids = new Set(receiver.at('/retry').map((m) => m.headers['webhook-id']))
  t.equal(ids.size, 1, 'the same webhook-id on every attempt')
  t.equal(JSON.parse(receiver.at('/retry')[0]!.body).data.id, offer.id)
  t.equal((await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })).json().status, 'active')
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('a failing event does not hold up later ones; after the schedule runs out it has failed', async (t) => {
  const subscription = await subscribe(ownerKey, '/stuck', { events: ['offer.published'] })
  const first = await putOffer(A, writerA)
  const changes = (await app.inject({ url: '/v1/changes?type=offer&limit=1000', headers: writerA })).json().items
  const firstSequence = changes.find((entry: any) => entry.id === first.id && entry.action === 'published').sequence
  receiver.answer(`/stuck#msg_seq_${firstSequence}`, ...Array.from({ length: 10 }, () => ({ status: 500 })))
  const second = await putOffer(A, writerA)
  await until('the second is delivered and the first has failed', async () => {
    const deliveries = await deliveriesOf(ownerKey, subscription.id)
    return deliveries.length === 2 && deliveries.every((d) => d.status !== 'pending')
  }, round)
  const deliveries = await deliveriesOf(ownerKey, subscription.id)
  const firstDelivery = deliveries.find((d) => d.sequence === firstSequence)
  t.same([firstDelivery.status, firstDelivery.attempts, firstDelivery.log.map((a: any) => a.statusCode)], ['failed', 4, [500, 500, 500, 500]], 'tried, retried three times, then given up')
  const secondDelivery = deliveries.find((d) => d.sequence !== firstSequence)
  t.same([secondDelivery.status, secondDelivery.attempts], ['succeeded', 1], 'the later event went through at once')
  t.same(parsed('/stuck').map((m) => m.data.id).sort(), [...Array(4).fill(first.id), second.id].sort(), 'the receiver saw four attempts of the first, one of the second')
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('410 Gone disables the subscription, with the reason', async (t) => {
  const subscription = await subscribe(ownerKey, '/gone', { events: ['offer.published'] })
  receiver.answer('/gone', { status: 410 })
  await putOffer(A, writerA)
  await until('disabled', async () => (await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })).json().status === 'disabled', round)
  t.match((await app.inject({ url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })).json().disabledReason, /410/)
  await putOffer(A, writerA)
  await round()
  t.equal((await deliveriesOf(ownerKey, subscription.id)).length, 1, 'nothing more is queued while disabled')
  const resumed = (await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/resume`, headers: ownerKey })).json()
  t.same([resumed.status, resumed.disabledReason], ['active', null])
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('secret rotation: both secrets sign during the grace period', async (t) => {
  const subscription = await subscribe(ownerKey, '/rotate', { events: ['offer'] })
  const rotated = await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/rotate-secret`, headers: ownerKey })
  t.equal(rotated.statusCode, 200)
  const { secret, previousSecretExpiresAt } = rotated.json()
  t.not(secret, subscription.secret)
  t.ok(Date.parse(previousSecretExpiresAt) > Date.now())
  await putOffer(A, writerA)
  await until('delivered', () => receiver.at('/rotate').length >= 1, round)
  const [message] = receiver.at('/rotate')
  t.equal(String(message!.headers['webhook-signature']).split(' ').length, 2)
  t.ok(new Webhook(subscription.secret).verify(message!.body, message!.headers as Record<string, string>), 'the old secret verifies')
  t.ok(new Webhook(secret).verify(message!.body, message!.headers as Record<string, string>), 'the new secret verifies')
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('ping, redeliver one event, and replay from a sequence', async (t) => {
  const subscription = await subscribe(ownerKey, '/replay', { events: ['offer.published'] })
  const ping = await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/ping`, headers: ownerKey })
  t.equal(ping.statusCode, 202)
  const offers = [await putOffer(A, writerA), await putOffer(A, writerA)]
  await until('ping and both changes delivered', () => receiver.at('/replay').length >= 3, round)
  t.equal(parsed('/replay').filter((m) => m.type === 'webhook.ping').length, 1)
  t.same(parsed('/replay').find((m) => m.type === 'webhook.ping').data, { subscription: subscription.id })
  const deliveries = await deliveriesOf(ownerKey, subscription.id)
  const original = deliveries.find((d) => d.sequence !== null)!
  const redelivered = await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/deliveries/${original.id}/redeliver`, headers: ownerKey })
  t.equal(redelivered.statusCode, 202)
  t.equal(redelivered.json().manual, true)
  await until('redelivered', () => receiver.at('/replay').filter((m) => m.headers['webhook-id'] === original.messageId).length === 2, round)

  const before = receiver.at('/replay').length
  const sequences = parsed('/replay').filter((m) => m.type !== 'webhook.ping').map((m) => m.data.sequence as number)
  const replay = await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/replay`, headers: ownerKey, payload: { fromSequence: Math.min(...sequences) - 1 } })
  t.equal(replay.statusCode, 202)
  t.equal(replay.json().queued, 2, 'the two offer publications since then (not other events, not others\' private changes)')
  t.equal(replay.json().complete, true)
  await until('replayed', () => receiver.at('/replay').length >= before + 2, round)
  const replayed = parsed('/replay').slice(before).map((m) => m.data.id)
  t.same(new Set(replayed), new Set(offers.map((o) => o.id)))
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('a paused subscription keeps its events and delivers them on resume', async (t) => {
  const subscription = await subscribe(ownerKey, '/paused', { events: ['offer'] })
  await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/pause`, headers: ownerKey })
  const offer = await putOffer(A, writerA)
  await round()
  await round()
  t.equal(receiver.at('/paused').length, 0, 'nothing is sent while paused')
  await app.inject({ method: 'POST', url: `/v1/webhooks/${subscription.id}/resume`, headers: ownerKey })
  await until('delivered after resume', () => receiver.at('/paused').length >= 1, round)
  t.equal(parsed('/paused')[0].data.id, offer.id)
  await app.inject({ method: 'DELETE', url: `/v1/webhooks/${subscription.id}`, headers: ownerKey })
})

t.test('without the allow-list, loopback, private, link-local and metadata addresses are refused at connect time', async (t) => {
  const strict = await setUp({ allowedAddresses: [], retryDelaysMs: [60_000], disableAfterMs: 60_000 })
  const key = bearer(await strict.key(A, ['webhooks:manage']))
  const targets = [receiver.url('/ssrf'), `http://localhost:${receiver.port}/ssrf`, 'http://10.0.0.1/ssrf', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/ssrf', 'http://0.0.0.0/ssrf']
  const ids: string[] = []
  for (const url of targets) {
    const response = await strict.app.inject({ method: 'POST', url: '/v1/webhooks', headers: key, payload: { url, events: ['offer'] } })
    t.equal(response.statusCode, 201, `${url} is accepted as a URL (where it leads is checked at connect time)`)
    ids.push(response.json().id)
    await strict.app.inject({ method: 'POST', url: `/v1/webhooks/${response.json().id}/ping`, headers: key })
  }
  await until('every ping attempted', async () => {
    for (const id of ids) if (((await strict.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: key })).json().items[0]?.log.length ?? 0) < 1) return false
    return true
  }, () => strict.app.webhookDispatcher.drain())
  for (const [n, id] of ids.entries()) {
    const [delivery] = (await strict.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: key })).json().items
    t.equal(delivery.log[0].statusCode, null, targets[n]!)
    t.match(delivery.log[0].error, /not allowed/, `${targets[n]}: ${delivery.log[0].error}`)
  }
  t.equal(receiver.at('/ssrf').length, 0, 'the local receiver was never reached')
})

t.test('failing automatic deliveries over the set time disable the subscription; manual ones do not count', async (t) => {
  const strict = await setUp({ allowedAddresses: ['127.0.0.1/32'], retryDelaysMs: [40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40], disableAfterMs: 300 })
  const key = bearer(await strict.key(A, ['webhooks:manage']))
  const writer = bearer(await strict.key(A, [...INSTITUTION_SCOPES]))
  const create = async (path: string, events: string[]) => (await strict.app.inject({ method: 'POST', url: '/v1/webhooks', headers: key, payload: { url: receiver.url(path), events } })).json()
  const failing = await create('/failing', ['offer'])
  const manual = await create('/manual', ['institution'])
  receiver.answer('/failing', ...Array.from({ length: 20 }, () => ({ status: 500 })))
  receiver.answer('/manual', ...Array.from({ length: 20 }, () => ({ status: 500 })))
  await strict.app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/DISABLE-1`, headers: writer, payload: completeOffer() })
  await strict.app.inject({ method: 'POST', url: `/v1/webhooks/${manual.id}/ping`, headers: key })
  await until('the failing subscription is disabled', async () => (await strict.app.inject({ url: `/v1/webhooks/${failing.id}`, headers: key })).json().status === 'disabled', () => strict.app.webhookDispatcher.drain())
  t.match((await strict.app.inject({ url: `/v1/webhooks/${failing.id}`, headers: key })).json().disabledReason, /failed for \d+ s \(last: HTTP 500\)/)
  await until('the ping has used up its retries', async () => (await strict.app.inject({ url: `/v1/webhooks/${manual.id}/deliveries`, headers: key })).json().items[0].status === 'failed', () => strict.app.webhookDispatcher.drain())
  t.equal((await strict.app.inject({ url: `/v1/webhooks/${manual.id}`, headers: key })).json().status, 'active', 'failed manual deliveries do not disable')
})

t.test('a revoked client\'s subscriptions receive nothing', async (t) => {
  const created = await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(ctx.config.adminToken!), payload: { institution: A, name: 'short-lived', scopes: ['webhooks:manage'] } })
  const client = created.json()
  const subscription = await subscribe(bearer(client.key), '/revoked', { events: ['offer'] })
  await app.inject({ method: 'DELETE', url: `/v1/clients/${client.id}`, headers: bearer(ctx.config.adminToken!) })
  await putOffer(A, writerA)
  await round()
  await round()
  t.equal(receiver.at('/revoked').length, 0)
  t.equal((await ctx.database.handle.db.select().from(webhookDeliveries)).filter((d) => d.subscriptionId === subscription.id).length, 0)
})

t.test('on PGlite, the running dispatcher delivers (the same SQL, SKIP LOCKED included)', async (t) => {
  const embedded = await startTestApp(t, { pglite: true, config: { webhooks: { ...testConfig().webhooks, dispatcher: true, pollIntervalMs: 20, allowHttp: true, allowedAddresses: ['127.0.0.1/32'] } } })
  await embedded.institution(A, 'IT')
  const key = bearer(await embedded.key(A, ['webhooks:manage', ...INSTITUTION_SCOPES]))
  const created = (await embedded.app.inject({ method: 'POST', url: '/v1/webhooks', headers: key, payload: { url: receiver.url('/pglite'), events: ['offer.published'] } })).json()
  const offer = (await embedded.app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/PGLITE-1`, headers: key, payload: completeOffer() })).json()
  await until('delivered by the running dispatcher', () => receiver.at('/pglite').length >= 1)
  const [message] = receiver.at('/pglite')
  t.equal((new Webhook(created.secret).verify(message!.body, message!.headers as Record<string, string>) as any).data.id, offer.id)
})

t.test('the delivery log is pruned after its retention; pending deliveries stay', async (t) => {
  const { webhookRepository } = await import('../src/modules/webhooks/repository.js')
  const db = ctx.database.handle.db
  const delivered = await subscribe(ownerKey, '/pruned', { events: ['offer.published'] })
  const paused = await subscribe(ownerKey, '/pruned-paused', { events: ['offer.published'] })
  await app.inject({ method: 'POST', url: `/v1/webhooks/${paused.id}/pause`, headers: ownerKey })
  await putOffer(A, writerA)
  await until('delivered', () => receiver.at('/pruned').length >= 1, round)
  const before = await db.select().from(webhookDeliveries)
  t.ok(before.some((d) => d.subscriptionId === paused.id && d.status === 'pending'), 'a pending delivery exists')
  t.ok(before.some((d) => d.status !== 'pending'), 'finished deliveries exist')
  let pruned = 0
  for (let n = 0; n < 100; n++) {
    const removed = await webhookRepository.prune(db, 0, 1000)
    pruned += removed
    if (removed === 0) break
  }
  t.ok(pruned > 0)
  const after = await db.select().from(webhookDeliveries)
  t.same(after.map((d) => d.status).filter((s) => s !== 'pending'), [], 'finished ones are gone')
  t.same(after.map((d) => d.id).sort(), before.filter((d) => d.status === 'pending').map((d) => d.id).sort(), 'pending ones stay')
  t.same((await deliveriesOf(ownerKey, delivered.id)).length, 0, 'the log no longer shows it')
})

t.test('a failure after a quiet spell starts a new run of failures instead of extending an old one', async (t) => {
  const quiet = await setUp({ allowedAddresses: ['127.0.0.1/32'], retryDelaysMs: [20], disableAfterMs: 1000 })
  const key = bearer(await quiet.key(A, ['webhooks:manage', ...INSTITUTION_SCOPES]))
  const { id } = (await quiet.app.inject({ method: 'POST', url: '/v1/webhooks', headers: key, payload: { url: receiver.url('/quiet'), events: ['offer.published'] } })).json()
  const deliveries = async () => (await quiet.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: key })).json().items as any[]
  const publish = (n: number) => quiet.app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/QUIET-${n}`, headers: key, payload: completeOffer() })
  receiver.answer('/quiet', ...Array.from({ length: 4 }, () => ({ status: 500 })))
  await publish(1)
  await until('the first event has failed', async () => (await deliveries())[0]?.status === 'failed', () => quiet.app.webhookDispatcher.drain())
  // Longer than WEBHOOK_DISABLE_AFTER_MS without a failure (a slower machine only makes it longer).
  await new Promise((resolve) => setTimeout(resolve, 1200))
  await publish(2)
  await until('the second event was tried', async () => (await deliveries()).length === 2 && (await deliveries())[0].log.length >= 1, () => quiet.app.webhookDispatcher.drain())
  t.equal((await quiet.app.inject({ url: `/v1/webhooks/${id}`, headers: key })).json().status, 'active', 'not disabled by a run of failures that ended long ago')
})
