import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { nextDelayMs, retryAfterMs } from '../src/modules/webhooks/backoff.js'
import { generateSecret, sign, signedHeaders } from '../src/modules/webhooks/signing.js'
import { urlProblem } from '../src/modules/webhooks/urls.js'

// Our signatures checked by the reference implementation (standardwebhooks on npm), so that
// the signing code is not only checked against itself.

const body = JSON.stringify({ type: 'offer.published', timestamp: '2026-01-01T00:00:00.000Z', data: { sequence: 42, id: 'x' } })

t.test('a message we sign verifies with the reference implementation', async (t) => {
  const secret = generateSecret()
  t.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
  const now = Math.floor(Date.now() / 1000)
  const headers = signedHeaders([secret], 'msg_seq_42', now, body)
  t.same(new Webhook(secret).verify(body, headers), JSON.parse(body))
  t.equal(headers['webhook-signature'], new Webhook(secret).sign('msg_seq_42', new Date(now * 1000), body), 'byte for byte the reference signature')
})

t.test('a tampered body, id or timestamp, or another secret, fails verification', async (t) => {
  const secret = generateSecret()
  const now = Math.floor(Date.now() / 1000)
  const headers = signedHeaders([secret], 'msg_seq_42', now, body)
  t.throws(() => new Webhook(secret).verify(body.replace('42', '43'), headers))
  t.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_seq_43' }))
  t.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': String(now - 1) }))
  t.throws(() => new Webhook(generateSecret()).verify(body, headers))
  t.throws(() => new Webhook(secret).verify(body, signedHeaders([secret], 'msg_seq_42', now - 3600, body)), 'an old timestamp is refused by the receiver')
})

t.test('during a rotation both secrets sign, and each verifies on its own', async (t) => {
  const previous = generateSecret()
  const current = generateSecret()
  const now = Math.floor(Date.now() / 1000)
  const headers = signedHeaders([current, previous], 'msg_seq_7', now, body)
  t.equal(headers['webhook-signature']!.split(' ').length, 2)
  t.ok(new Webhook(previous).verify(body, headers), 'a receiver still on the old secret accepts it')
  t.ok(new Webhook(current).verify(body, headers), 'a receiver on the new secret accepts it')
  t.equal(sign(current, 'msg_seq_7', now, body), headers['webhook-signature']!.split(' ')[0])
})

t.test('back-off: the schedule with jitter, Retry-After honoured up to the longest delay, then give up', async (t) => {
  const schedule = [1000, 10_000, 100_000]
  t.equal(nextDelayMs(schedule, 1, undefined, 0.5), 1000)
  t.equal(nextDelayMs(schedule, 2, undefined, 0), 8000)
  t.equal(nextDelayMs(schedule, 2, undefined, 1), 12_000)
  t.equal(nextDelayMs(schedule, 1, 60_000, 0.5), 60_000, 'Retry-After longer than the back-off wins')
  t.equal(nextDelayMs(schedule, 1, 10 ** 9, 0.5), 100_000, 'but no longer than the longest delay')
  t.equal(nextDelayMs(schedule, 4, undefined, 0.5), undefined, 'the schedule is exhausted')
  t.equal(retryAfterMs('120', 0), 120_000)
  t.equal(retryAfterMs(new Date(30_000).toUTCString(), 0), 30_000)
  t.equal(retryAfterMs('soon', 0), undefined)
})

t.test('subscriber URLs: https only (http where allowed), no credentials', async (t) => {
  t.equal(urlProblem('https://mirror.example.eu/hook', false), undefined)
  t.match(urlProblem('http://mirror.example.eu/hook', false), /https/)
  t.equal(urlProblem('http://127.0.0.1:9/hook', true), undefined)
  t.match(urlProblem('https://user:pass@mirror.example.eu/', false), /credentials/)
  t.match(urlProblem('ftp://mirror.example.eu/', true), /https/)
  t.match(urlProblem('not a url', false), /absolute/)
})

t.test('webhook settings are read from the environment and checked', async (t) => {
  const { loadConfig, ConfigError } = await import('../src/config.js')
  const defaults = loadConfig({}).webhooks
  t.same(
    [defaults.dispatcher, defaults.allowHttp, defaults.allowedAddresses, defaults.retryDelaysMs.length, defaults.concurrency, defaults.concurrencyPerSubscription],
    [true, false, [], 7, 64, 4],
  )
  const set = loadConfig({
    WEBHOOK_DISPATCHER: 'false',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1, ::1/128',
    WEBHOOK_RETRY_DELAYS_MS: '10,20',
    PUBLIC_BASE_URL: 'https://api.example.eu/',
    WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: '2',
  }).webhooks
  t.same(
    [set.dispatcher, set.allowHttp, set.allowedAddresses, set.retryDelaysMs, set.publicBaseUrl, set.concurrencyPerSubscription],
    [false, true, ['127.0.0.1', '::1/128'], [10, 20], 'https://api.example.eu', 2],
  )
  t.throws(() => loadConfig({ WEBHOOK_RETRY_DELAYS_MS: '10,soon', WEBHOOK_ALLOWED_ADDRESSES: 'localhost', PUBLIC_BASE_URL: 'ftp://x' }), ConfigError)
})
