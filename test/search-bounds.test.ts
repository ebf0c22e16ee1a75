import pg from 'pg'
import t from 'tap'
import { boundSearchText, MAX_SEARCH_TEXT_LENGTH, mayHavePhrase } from '../src/modules/catalogue/search-text.js'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

/**
 * A search's cost is bounded before it runs (a query of only negations is not a search; words,
 * phrases and length are capped), searches hold at most a share of the pool (beyond it 503
 * SEARCH_BUSY with Retry-After), and one that exceeds its statement timeout is a 503
 * SEARCH_TIMEOUT: never a 500, never at the expense of other requests.
 */
t.test('the bounds, as a pure rule', async (t) => {
  t.same(boundSearchText('data literacy'), undefined)
  t.same(boundSearchText('"open data" -health or ethics'), undefined)
  t.match(boundSearchText('-zzz -yyy'), /not negated/)
  t.match(boundSearchText('data or -zzz'), /every alternative/, 'an alternative of only negations matches nearly everything')
  t.match(boundSearchText('---'), /no word/)
  t.match(boundSearchText('a b c d e f g h i'), /at most 8 words/)
  t.match(boundSearchText('"one two three four five"'), /at most 4 words in a phrase/)
  t.match(boundSearchText('one-two-three-four-five'), /at most 4 words in a phrase/, 'a hyphenated word is a phrase to PostgreSQL')
  t.equal(MAX_SEARCH_TEXT_LENGTH, 100)
  // Negations as websearch_to_tsquery reads them: a `-` negates what follows it, after spaces
  // or before a quote too (each of these matched nearly the whole catalogue when let through).
  t.match(boundSearchText('- science'), /not negated/)
  t.match(boundSearchText('-"data science"'), /not negated/)
  t.match(boundSearchText('data or -"big data"'), /every alternative/)
  t.match(boundSearchText('data or - science'), /every alternative/)
  t.same(boundSearchText('data - science'), undefined, 'data, without science')
})

t.test('which searches may hold a phrase (ranked with ts_rank_cd where RUM would rank them)', async (t) => {
  for (const text of ['e-learning', '"data science"', 'law or "big data"', "it's", 'data -"open science"']) t.equal(mayHavePhrase(text), true, text)
  for (const text of ['data', 'data science', 'data or law', 'data -science', '"data"']) t.equal(mayHavePhrase(text), false, text)
})

t.test('searches out of bounds are 400s naming q, on PostgreSQL and on the embedded database', async (t) => {
  for (const pglite of [false, true]) {
    const ctx = await startTestApp(t, { pglite })
    await ctx.institution('unibo.it', 'IT')
    const key = bearer(await ctx.key('unibo.it', ['catalogue:write']))
    await ctx.app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/S-1', headers: key, payload: completeOffer() })
    for (const q of ['-zzz -yyy', '-data', 'data or -zzz', 'a b c d e f g h i', '"one two three four five"', 'x'.repeat(101)]) {
      const response = await ctx.app.inject({ method: 'GET', url: `/v1/offers?q=${encodeURIComponent(q)}` })
      t.equal(response.statusCode, 400, `${pglite ? 'PGlite' : 'PostgreSQL'}: q=${q.slice(0, 20)}: ${response.body.slice(0, 200)}`)
      t.match(response.json().errors, [{ in: 'query', pointer: '/q' }])
    }
    const fine = await ctx.app.inject({ method: 'GET', url: `/v1/offers?q=${encodeURIComponent('data -zzz')}` })
    t.equal(fine.statusCode, 200)
    t.equal(fine.json().items.length, 1)
  }
})

t.test('searches beyond their share of the pool get 503 SEARCH_BUSY; one past its statement timeout 503 SEARCH_TIMEOUT', async (t) => {
  const ctx = await startTestApp(t, { config: { searchConcurrency: 1, searchQueue: 0, searchStatementTimeoutMs: 300 } })
  if (ctx.database.url === undefined) return t.comment('needs the PostgreSQL server')
  await ctx.institution('unibo.it', 'IT')
  const key = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const offer = (await ctx.app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/S-1', headers: key, payload: completeOffer() })).json()

  // Another session holds the offers table: a search waits on it until its statement timeout.
  const blocker = new pg.Client({ connectionString: ctx.database.url })
  await blocker.connect()
  t.teardown(() => blocker.end())
  await blocker.query('begin')
  await blocker.query('lock table offers in access exclusive mode')
  const slow = ctx.app.inject({ method: 'GET', url: '/v1/offers?q=data' })
  // Until the first search holds the one slot and waits on the lock. The blocker is in a
  // transaction, which keeps the activity it first read: each look clears that snapshot.
  const waitingOnLock = async () => {
    await blocker.query('select pg_stat_clear_snapshot()')
    return (await blocker.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rows[0].n
  }
  while ((await waitingOnLock()) === 0) await new Promise((resolve) => setTimeout(resolve, 10))
  const busy = await ctx.app.inject({ method: 'GET', url: '/v1/offers?q=literacy' })
  t.equal(busy.statusCode, 503, busy.body)
  t.equal(busy.json().code, 'SEARCH_BUSY')
  t.ok(Number(busy.headers['retry-after']) > 0)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/v1/institutions' })).statusCode, 200, 'other requests are served meanwhile')

  const timedOut = await slow
  t.equal(timedOut.statusCode, 503, timedOut.body)
  t.equal(timedOut.json().code, 'SEARCH_TIMEOUT')
  t.ok(Number(timedOut.headers['retry-after']) > 0)
  await blocker.query('rollback')

  t.equal((await ctx.app.inject({ method: 'GET', url: '/v1/offers?q=data' })).statusCode, 200, 'the slot is free again')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/offers/${offer.id}` })).statusCode, 200)
})
