import { Writable } from 'node:stream'
import pg from 'pg'
import t from 'tap'
import { loggerOptions } from '../src/logging.js'
import { bearer, startTestApp, testConfig } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const lines: string[] = []
const stream = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk))
    done()
  },
})
const ctx = await startTestApp(t, { logger: { ...(loggerOptions(testConfig({ logLevel: 'debug' })) as object), stream } })
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuvenKey = await ctx.key('kuleuven.be', ['recognition:write', 'recognition:read'])

t.test('concurrent If-Match writes: no update is lost', async (t) => {
  const url = '/v1/institutions/unibo.it/offers/LOST-UPDATE'
  const created = await app.inject({ method: 'PUT', url, headers: bologna, payload: completeOffer() })
  t.equal(created.statusCode, 201)
  let successes = 0
  let conflicts = 0
  // Each writer reads, then writes conditionally on what it read, retrying on 412, like a
  // careful client would; twelve writers, four writes each.
  await Promise.all(
    Array.from({ length: 12 }, async (_, writer) => {
      for (let write = 0; write < 4; write++) {
        for (;;) {
          const current = await app.inject({ method: 'GET', url, headers: bologna })
          const response = await app.inject({
            method: 'PUT',
            url,
            headers: { ...bologna, 'if-match': current.headers.etag as string },
            payload: completeOffer({ title: { en: `Writer ${writer}, write ${write}` } }),
          })
          if (response.statusCode === 200) {
            successes++
            break
          }
          t.equal(response.statusCode, 412)
          conflicts++
        }
      }
    }),
  )
  const final = (await app.inject({ method: 'GET', url, headers: bologna })).json()
  t.equal(successes, 48)
  t.equal(final.version, 1 + successes, 'the final version counts every successful write, and only those')
  const versions = (await app.inject({ method: 'GET', url: `/v1/offers/${final.id}/versions?limit=100` })).json()
  t.equal(versions.items.length, 1 + successes, 'every write left its own version')
  t.comment(`${conflicts} stale writes were refused with 412`)
})

t.test('a request carrying a key and a learner reference leaves neither in the log', async (t) => {
  lines.length = 0
  const offer = (await app.inject({ method: 'GET', url: '/v1/institutions/unibo.it/offers/LOST-UPDATE', headers: bologna })).json()
  const response = await app.inject({
    method: 'POST',
    url: '/v1/recognitions',
    headers: { authorization: `Bearer ${leuvenKey}`, 'idempotency-key': 'log-test-key-1' },
    payload: { offerId: offer.id, scope: 'individual', learnerRef: 'pseudonym-7f3a9c-secret', purpose: 'credit_transfer', outcome: 'partial', creditsRecognised: 5 },
  })
  t.equal(response.statusCode, 422, 'a failing request logs too')
  await app.inject({
    method: 'POST',
    url: '/v1/recognitions',
    headers: { authorization: `Bearer ${leuvenKey}` },
    payload: { offerId: offer.id, scope: 'individual', learnerRef: 'pseudonym-7f3a9c-secret', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3 },
  })
  const log = lines.join('')
  t.ok(log.length > 0)
  t.notMatch(log, leuvenKey)
  t.notMatch(log, leuvenKey.slice(13))
  t.notMatch(log, 'pseudonym-7f3a9c-secret')
  t.notMatch(log, 'log-test-key-1')
})

t.test('the pool survives PostgreSQL dropping its connections', async (t) => {
  if (ctx.database.url === undefined) return t.comment('PGlite has no server connections to drop')
  const before = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(before.statusCode, 200)
  const name = new URL(ctx.database.url).pathname.slice(1)
  const killer = new pg.Client({ connectionString: ctx.database.url })
  await killer.connect()
  const killed = await killer.query('select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name])
  await killer.end()
  t.ok(Number(killed.rows[0].n) > 0, 'connections were terminated')
  const next = await app.inject({ method: 'GET', url: '/v1/offers?limit=1', headers: bologna })
  t.equal(next.statusCode, 200, 'the next request succeeds')
  const write = await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/AFTER-DROP', headers: bologna, payload: completeOffer() })
  t.equal(write.statusCode, 201, 'and so do writes')
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200)
})
