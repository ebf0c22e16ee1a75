// Full-text search ranked by relevance, both ways a database allows (README, "Full-text search
// at scale"): inside the RUM index where the database has the extension (migrations 0020 and
// 0023 create the index), with ts_rank_cd elsewhere. The same catalogue on both: the same matches, titles
// first, every result exactly once when paged, filters combined; the service says which it uses.
import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { rowsOf, type Database } from '../src/db/client.js'
import * as schema from '../src/db/schema.js'
import { createCursorCodec } from '../src/lib/cursor.js'
import { catalogueRepository, RUM_INDEX, RUM_INDEX_COLUMNS, RUM_SESSION_SETTINGS } from '../src/modules/catalogue/repository.js'
import { chooseRanking } from '../src/modules/catalogue/search-ranking.js'
import { explainCaptured } from '../scripts/lib/bench-explain.js'
import { admin, bearer, startTestApp, testConfig, type TestContext } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { requires } from './helpers/requires.js'

t.test('which ranking the database allows, and what the service says of it', async (t) => {
  t.match(chooseRanking({ index: true, extension: 'created' }), { ranking: 'rum', level: 'info', message: /inside the RUM index offer_search_ranking_rum_idx/ })
  t.match(chooseRanking({ index: true, columns: RUM_INDEX_COLUMNS, extension: 'created' }), { ranking: 'rum', level: 'info' })
  t.match(
    chooseRanking({ index: true, columns: 'search rum_tsvector_ops', extension: 'created' }),
    { ranking: 'rum', level: 'warn', message: /built on \(search rum_tsvector_ops\) rather than \(search rum_tsvector_ops, institution_schac .*\): searches filtered on institution_schac, alliances, issuer_countries sort every match .*rebuild it/ },
    'an index from an earlier release still ranks, and the operator is told what it costs',
  )
  t.match(
    chooseRanking({ index: true, columns: 'search rum_tsvector_ops, institution_schac rum_text_ops, alliances rum_anyarray_ops', extension: 'created' }),
    { ranking: 'rum', level: 'warn', message: /: searches filtered on issuer_countries sort every match/ },
    'the filters it lacks, by name',
  )
  t.match(
    chooseRanking({ index: true, columns: `${RUM_INDEX_COLUMNS}, eqf_level int2_ops`, extension: 'created' }),
    { ranking: 'rum', level: 'warn', message: /: its columns or operator classes differ/ },
    'an index with more than the service plans for',
  )
  t.match(chooseRanking({ index: false, extension: 'created' }), { ranking: 'ts_rank_cd', level: 'warn', message: /offer_search_ranking_rum_idx is missing or invalid/ })
  t.match(chooseRanking({ index: false, extension: 'available' }), { ranking: 'ts_rank_cd', level: 'info', message: /CREATE EXTENSION rum/ })
  t.match(chooseRanking({ index: false, extension: 'absent' }), { ranking: 'ts_rank_cd', level: 'info', message: /no rum extension/ })
})

await requires(t, 'postgres', 'rum')

type LogLine = { msg: string; searchRanking?: string; level: number }

/** What `start` returns, built with a logger at info whose lines are kept. */
async function withStartupLog<T>(start: (logger: { level: string; stream: Writable }) => Promise<T>): Promise<{ app: T; lines: LogLine[] }> {
  const lines: LogLine[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    },
  })
  return { app: await start({ level: 'info', stream }), lines }
}

/** A catalogue app whose start-up log lines are kept. */
async function catalogueApp(t: Test, extensions: string[]) {
  const { app: ctx, lines } = await withStartupLog((logger) => startTestApp(t, { extensions, logger }))
  return { ctx, lines }
}

interface Made {
  id: string
  name: string
  institution: string
  eqfLevel: number
}

/** The same catalogue in each app: which offer is which, by name. */
async function seed(ctx: TestContext): Promise<Made[]> {
  await ctx.institution('unibo.it', 'IT')
  await ctx.institution('uva.nl', 'NL')
  const alliance = await ctx.app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['unibo.it'] } })
  if (alliance.statusCode >= 300) throw new Error(alliance.body)
  const keys = { 'unibo.it': bearer(await ctx.key('unibo.it', ['catalogue:write'])), 'uva.nl': bearer(await ctx.key('uva.nl', ['catalogue:write'])) }
  const offers: Array<{ name: string; institution: 'unibo.it' | 'uva.nl'; title: string; description: string; eqfLevel: number; status?: string }> = [
    { name: 'title', institution: 'unibo.it', title: 'Grid energy storage', description: 'Batteries, pumped hydro and their markets.', eqfLevel: 7 },
    { name: 'body', institution: 'uva.nl', title: 'Storage for the grid', description: 'Covers the energy markets that pay for it.', eqfLevel: 6 },
    { name: 'both', institution: 'uva.nl', title: 'Energy policy', description: 'Energy, energy security and the energy transition.', eqfLevel: 7 },
    { name: 'none', institution: 'unibo.it', title: 'Data literacy', description: 'Find, clean and share research data.', eqfLevel: 6 },
    { name: 'draft', institution: 'unibo.it', title: 'Energy draft', description: 'Energy.', eqfLevel: 6, status: 'draft' },
    // Identical documents rank alike: many ties, which pages of every size must cut through
    // (by id with ts_rank_cd, by their place in the index's order with RUM).
    ...Array.from({ length: 60 }, (_, i) => ({
      name: `tie-${i}`,
      institution: (i % 2 === 0 ? 'unibo.it' : 'uva.nl') as 'unibo.it' | 'uva.nl',
      title: 'Energy course',
      description: 'A short course.',
      eqfLevel: i % 3 === 0 ? 7 : 6,
    })),
  ]
  const made: Made[] = []
  for (const offer of offers) {
    const body = offer.status === 'draft'
      ? { title: { en: offer.title }, status: 'draft' }
      : completeOffer({ title: { en: offer.title }, description: { en: offer.description }, eqfLevel: offer.eqfLevel, qfEheaCycle: undefined })
    const response = await ctx.app.inject({ method: 'PUT', url: `/v1/institutions/${offer.institution}/offers/${offer.name}`, headers: keys[offer.institution], payload: body })
    if (response.statusCode !== 201) throw new Error(response.body)
    made.push({ id: response.json().id, name: offer.name, institution: offer.institution, eqfLevel: offer.eqfLevel })
  }
  // Ranked search reads the copy the indexer keeps a moment after the writes.
  await ctx.app.searchIndexer.drain()
  return made
}

/** Every page of a search, in order. */
async function walk(ctx: TestContext, query: string, limit: number): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 100; pages++) {
    const url: string = `/v1/offers?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const response = await ctx.app.inject({ method: 'GET', url })
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.body}`)
    ids.push(...response.json().items.map((item: { id: string }) => item.id))
    cursor = response.json().nextCursor
    if (!cursor) break
  }
  return ids
}

const rum = await catalogueApp(t, ['rum'])
const plain = await catalogueApp(t, [])
const catalogues = [
  { label: 'RUM', ranking: 'rum', app: rum, made: await seed(rum.ctx) },
  { label: 'ts_rank_cd', ranking: 'ts_rank_cd', app: plain, made: await seed(plain.ctx) },
] as const

for (const { label, ranking, app, made } of catalogues) {
  const { ctx, lines } = app
  const name = (id: string) => made.find((m) => m.id === id)?.name ?? id
  const matching = made.filter((m) => m.name !== 'none' && m.name !== 'draft')

  t.test(`${label}: the service says at start-up how it ranks`, async (t) => {
    const said = lines.filter((line) => line.searchRanking !== undefined)
    t.equal(said.length, 1)
    t.equal(said[0]?.searchRanking, ranking)
    t.match(said[0]?.msg, ranking === 'rum' ? /inside the RUM index/ : /ts_rank_cd.*CREATE EXTENSION rum/)
  })

  t.test(`${label}: paging by relevance walks every match once, titles first`, async (t) => {
    for (const limit of [1, 4, 7, 50, 100]) {
      const walked = await walk(ctx, 'q=energy', limit)
      t.equal(new Set(walked).size, walked.length, `limit ${limit}: no result twice`)
      t.same([...walked].sort(), matching.map((m) => m.id).sort(), `limit ${limit}: every published match, no draft, no other offer`)
      t.equal(name(walked.at(-1)!), 'body', `limit ${limit}: the only match outside a title comes last`)
      t.equal(name(walked[0]!), 'both', `limit ${limit}: the title and description match comes first`)
    }
    const byDate = await walk(ctx, 'q=energy&sort=createdAt', 5)
    t.same([...byDate].sort(), matching.map((m) => m.id).sort(), 'the same matches in another order')
  })

  t.test(`${label}: filters, negations and alternatives combine with the ranking`, async (t) => {
    const level7 = await walk(ctx, 'q=energy&eqfLevel=7', 3)
    t.same([...level7].sort(), matching.filter((m) => m.eqfLevel === 7).map((m) => m.id).sort())
    t.equal(name(level7[0]!), 'both')
    t.same((await walk(ctx, 'q=storage%20-grid', 5)).map(name), [], 'both storage offers name the grid')
    t.same((await walk(ctx, 'q=storage%20-batteries', 5)).map(name), ['body'])
    t.same((await walk(ctx, 'q=batteries%20or%20markets', 5)).map(name).sort(), ['body', 'title'])
    t.same((await walk(ctx, 'q=%22grid%20energy%22', 5)).map(name), ['title'], 'a phrase')
    t.same((await walk(ctx, 'q=energy&institution=uva.nl&eqfLevel=6', 2)).map(name).slice(-1), ['body'])
  })

  t.test(`${label}: filters on the institution, an alliance or a country page through every match once`, async (t) => {
    // With RUM, these are applied inside the index (RUM_INDEX_COLUMNS), the others on the
    // copy's row: both page through the ties alike.
    const cases = [
      { query: 'institution=uva.nl', expected: matching.filter((m) => m.institution === 'uva.nl') },
      { query: 'alliance=una-europa', expected: matching.filter((m) => m.institution === 'unibo.it') },
      { query: 'country=NL', expected: matching.filter((m) => m.institution === 'uva.nl') },
      { query: 'country=IT&eqfLevel=7', expected: matching.filter((m) => m.institution === 'unibo.it' && m.eqfLevel === 7) },
      { query: 'alliance=una-europa&institution=uva.nl', expected: [] },
    ]
    for (const { query, expected } of cases) {
      for (const limit of [1, 7, 50]) {
        const walked = await walk(ctx, `q=energy&${query}`, limit)
        t.equal(new Set(walked).size, walked.length, `${query}, limit ${limit}: no result twice`)
        t.same([...walked].sort(), expected.map((m) => m.id).sort(), `${query}, limit ${limit}: every match that passes`)
      }
    }
    t.ok(matching.filter((m) => m.institution === 'uva.nl').length > 20, 'ties enough to cut through')
  })
}

t.test('RUM: a cursor of one ranking is refused by the other', async (t) => {
  const first = await rum.ctx.app.inject({ method: 'GET', url: '/v1/offers?q=energy&limit=2' })
  const cursor = first.json().nextCursor as string
  const other = await plain.ctx.app.inject({ method: 'GET', url: `/v1/offers?q=energy&limit=2&cursor=${encodeURIComponent(cursor)}` })
  t.equal(other.statusCode, 400)
  t.equal(other.json().code, 'INVALID_CURSOR')
})

t.test('RUM: a search that may hold a phrase ranks with ts_rank_cd, and its pages walk every match once', async (t) => {
  // RUM's index orders a phrase's matches by another distance than the one read back for each
  // row, so pages resuming from the last distance shown skipped and repeated matches. The
  // database here rounds floats as a role or pooler may (extra_float_digits = 0), which made a
  // walk by ts_rank_cd repeat its page forever: the search's own connections set it back.
  const { ctx } = await catalogueApp(t, ['rum'])
  await ctx.database.handle.db.execute(sql.raw(`alter database "${new URL(ctx.database.url!).pathname.slice(1)}" set extra_float_digits = 0`))
  await ctx.institution('unibo.it', 'IT')
  const key = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const fillers = ['moodle', 'tutors', 'rubrics', 'forums', 'quizzes']
  const ids: string[] = []
  for (let i = 0; i < 45; i++) {
    // The phrase at various places among various words: many distinct distances, and ties.
    const words = Array.from({ length: i % 7 }, (_, j) => fillers[(i + j) % fillers.length]).join(' ')
    const title = i % 3 === 0 ? `E-learning ${words}` : `Course ${words}`
    const description = i % 3 === 0 ? 'A course.' : `${words} with e-learning ${'and e-learning '.repeat(i % 4)}tools`
    const response = await ctx.app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/P-${i}`, headers: key, payload: completeOffer({ title: { en: title }, description: { en: description } }) })
    t.equal(response.statusCode, 201, response.body)
    ids.push(response.json().id)
  }
  await ctx.app.searchIndexer.drain()
  for (const query of ['q=e-learning', 'q=%22e-learning%20tools%22', 'q=moodle%20or%20e-learning']) {
    for (const limit of [1, 3, 7, 20]) {
      const walked = await walk(ctx, query, limit)
      t.equal(new Set(walked).size, walked.length, `${query}, limit ${limit}: no result twice`)
      if (query === 'q=e-learning') t.same([...walked].sort(), [...ids].sort(), `${query}, limit ${limit}: every match`)
    }
  }
  const first = await ctx.app.inject({ method: 'GET', url: '/v1/offers?q=e-learning&limit=2' })
  const cursor = createCursorCodec(testConfig().cursorSecret)
  t.same(cursor.decode(first.json().nextCursor, { route: '/v1/offers', scope: { q: 'e-learning', ranking: 'ts_rank_cd' } }).length, 2, 'its cursor is bound to ts_rank_cd')
})

t.test('RUM: a cursor in an earlier release\'s form is refused, not a 500', async (t) => {
  const first = await rum.ctx.app.inject({ method: 'GET', url: '/v1/offers?q=energy&limit=2' })
  const codec = createCursorCodec(testConfig().cursorSecret)
  const scope = { route: '/v1/offers', scope: { q: 'energy', ranking: 'rum' } }
  const [distance, shown] = codec.decode(first.json().nextCursor, scope)
  t.type(shown, 'number', 'today: [distance, offers of it shown]')
  const again = await rum.ctx.app.inject({ method: 'GET', url: `/v1/offers?q=energy&limit=2&cursor=${encodeURIComponent(codec.encode([distance!, shown!], scope))}` })
  t.equal(again.statusCode, 200, 'the same position signed again reads the next page')
  const earlier = codec.encode([distance!, catalogues[0].made.at(-1)!.id], scope)
  const refused = await rum.ctx.app.inject({ method: 'GET', url: `/v1/offers?q=energy&limit=2&cursor=${encodeURIComponent(earlier)}` })
  t.equal(refused.statusCode, 400, refused.body)
  t.equal(refused.json().code, 'INVALID_CURSOR')
})

t.test('RUM: on a ranked search session, each form of page is one named statement with one generic plan, and answers as in a transaction', async (t) => {
  // One connection, so that what it prepared can be read on it.
  const session = rum.ctx.database.handle.sessionWith({ statement_timeout: '2000', ...RUM_SESSION_SETTINGS }, 1)!
  const forms: Array<Record<string, unknown>> = [{}, { eqfLevel: 7 }, { institution: 'uva.nl', eqfLevel: 6 }, { updatedSince: '2000-01-01T00:00:00Z', ectsMin: 1 }, { alliance: 'una-europa', country: 'IT' }]
  for (const form of forms) {
    const searchOf = (db: Database, sessionHasSettings: boolean, after?: [string, number]) =>
      catalogueRepository.search(db, {
        ...form,
        q: 'energy',
        sort: 'relevance',
        ranking: 'rum',
        limit: 7,
        after,
        ...(sessionHasSettings ? { sessionHasSettings } : { statementTimeoutMs: 2000 }),
      })
    const positions = (hits: Awaited<ReturnType<typeof searchOf>>) => hits.map((hit) => [hit.row.id, ...hit.position])
    let after: [string, number] | undefined
    let found = 0
    for (let page = 0; page < 4; page++) {
      const onSession = await searchOf(session, true, after)
      t.same(positions(onSession), positions(await searchOf(rum.ctx.database.handle.db, false, after)), `${JSON.stringify(form)}: page ${page + 1} as in a transaction`)
      found += onSession.length
      if (onSession.length <= 7) break
      const last = onSession.at(-2)!.position
      after = [String(last[0]), Number(last[1])]
    }
    t.ok(found > 0, `${JSON.stringify(form)}: found ${found}`)
  }
  const statements = rowsOf<{ name: string; generic_plans: number; custom_plans: number }>(
    await session.execute(sql`select name, generic_plans::int, custom_plans::int from pg_prepared_statements order by name`),
  )
  t.ok(statements.length >= forms.length + 1 && statements.length <= forms.length * 2, `${statements.length} statements: one per form, first page or resumed`)
  for (const statement of statements) {
    t.match(statement.name, /^rum_page_/)
    t.equal(statement.custom_plans, 0, `${statement.name}: never planned for one word`)
  }
  t.ok(statements.some((statement) => statement.generic_plans >= 3), 'a generic plan reused page after page')
})

/** One connection to the RUM catalogue's database, and a handle on it that records each statement it sends. */
function capturing(t: Test) {
  const pool = new pg.Pool({ connectionString: rum.ctx.database.url, max: 1 })
  t.teardown(() => pool.end())
  const captured: Array<{ sql: string; params: unknown[] }> = []
  const db = drizzle(pool, { schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } }) as unknown as Database
  return { pool, db, captured }
}

t.test('RUM: the search reads its matches in order from the index', async (t) => {
  // The repository's statements, captured as they are sent, replayed on one connection (its
  // transaction settings included) with each query explained: a search whose ORDER BY the index
  // could not serve would sort the matches instead.
  const { pool, db, captured } = capturing(t)
  await catalogueRepository.search(db, { q: 'energy', sort: 'relevance', ranking: 'rum', limit: 20, after: ['0.5', 3], statementTimeoutMs: 2000 })
  const client = await pool.connect()
  try {
    const [page, ...more] = await explainCaptured(client, captured)
    t.same(more, [], 'one statement reads the page')
    t.match(page?.plan, /Index Scan using offer_search_ranking_rum_idx/, page?.plan ?? 'no query')
    t.match(page?.plan, /Order By: \(search <=> /, 'ordered by the index')
    // Only the page's few candidates are sorted (to number and place them), never the matches:
    // the index scan, joined to the offers match after match, stops at the candidates' LIMIT.
    t.match(
      page?.plan,
      // (between them, the search query computed once: InitPlans of one Result each)
      /-> {2}Limit [^\n]*\n(\s+(Buffers|InitPlan \d+|-> {2}Result)[^\n]*\n)*\s+-> {2}Nested Loop[^\n]*\n(\s+(Join Filter|Buffers)[^\n]*\n)*\s+-> {2}Index Scan using offer_search_ranking_rum_idx/,
      'the index scan stops at the limit',
    )
    // (on so small a table the planner may take any index that has the id)
    t.match(page?.plan, /Index Scan using \w+ on offers offers_1[^\n]*\n\s+Index Cond: \(id = offer_search_ranking\.offer_id\)/, 'each match read by its key')
    t.notMatch(page?.plan, /Sort Key: [^\n]*search/, 'no sort of the matches')
    t.notMatch(page?.plan, /JIT:/, 'no JIT compilation (the disabled sorts inflate the estimates)')
    t.match(page?.plan, /Order By: \(search <=> \$\d+\)/, 'ordered by the search query computed once (an InitPlan), not an expression computed for each match')
  } finally {
    client.release()
  }
})

t.test('RUM: the index holds the institution, alliances and countries, and narrows a search by them itself', async (t) => {
  const { pool, db, captured } = capturing(t)
  const { rows: [built] } = await pool.query<{ definition: string }>('select pg_get_indexdef(to_regclass($1)) as definition', [RUM_INDEX])
  // (PostgreSQL names an operator class only where it is not the type's default)
  t.match(built?.definition, `USING rum (${RUM_INDEX_COLUMNS.replace(/ \w+_ops/g, '')})`, 'the migrations build it on these columns, with their default operator classes')
  t.equal((await catalogueRepository.rankingSupport(db)).columns, RUM_INDEX_COLUMNS, 'which are those RUM_INDEX_COLUMNS names, as the service reads them')
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const told = [...readme.matchAll(/CREATE INDEX CONCURRENTLY offer_search_ranking_rum_idx\w* ON offer_search_ranking\s+USING rum \(([^)]*)\)/g)].map((found) => found[1])
  t.same(told, [RUM_INDEX_COLUMNS, RUM_INDEX_COLUMNS], 'operators are told to build the same (before an upgrade, and when adding the extension)')

  captured.length = 0
  await catalogueRepository.search(db, { q: 'energy', alliance: 'una-europa', country: 'IT', eqfLevel: 7, sort: 'relevance', ranking: 'rum', limit: 20, statementTimeoutMs: 2000 })
  const client = await pool.connect()
  try {
    const [page] = await explainCaptured(client, captured)
    const scan = page?.plan.match(/Index Scan using offer_search_ranking_rum_idx[^\n]*\n((\s+(Index Cond|Order By|Filter|Rows Removed|Buffers)[^\n]*\n)*)/)?.[1] ?? ''
    t.match(scan, /Index Cond: \(\(search @@ \$\d+\) AND \(alliances @> '\{una-europa\}'::text\[\]\) AND \(issuer_countries @> '\{IT\}'::text\[\]\)\)/, 'alliance and country inside the index')
    t.match(scan, /Filter: \(eqf_level = '7'::smallint\)/, 'the level on the copy\'s row')

    // The service's ranked search sessions prepare the page once, with one generic plan for
    // every value (RUM_SESSION_SETTINGS): the parameters must serve as the index's keys there too.
    const statement = captured.find((query) => query.sql.includes('offer_search_ranking'))!
    for (const [name, value] of Object.entries(RUM_SESSION_SETTINGS)) await client.query(`set ${name} = '${value}'`)
    await client.query(`prepare generic_page as ${statement.sql}`)
    const values = statement.params.map((value) => (typeof value === 'number' ? String(value) : client.escapeLiteral(String(value))))
    const generic = (await client.query<{ 'QUERY PLAN': string }>(`explain (costs off) execute generic_page(${values.join(', ')})`)).rows.map((row) => row['QUERY PLAN']).join('\n')
    t.match(generic, /Index Cond: \(\(search @@ \$\d+\) AND \(alliances @> ARRAY\[\$\d+\]\) AND \(issuer_countries @> ARRAY\[\$\d+\]\)\)/, 'alliance and country inside the index in the generic plan')
    await client.query('discard all')
  } finally {
    client.release()
  }
})

// Last: it rebuilds the index the tests above read.
t.test('RUM: an index built by an earlier release\'s instructions (the search column alone) still ranks every filtered search right', async (t) => {
  const { pool, db } = capturing(t)
  const rebuild = (columns: string) => pool.query(`drop index ${RUM_INDEX}; create index ${RUM_INDEX} on offer_search_ranking using rum (${columns})`)
  const search = 'q=energy&institution=uva.nl&country=NL'
  const before = await walk(rum.ctx, search, 7)
  await rebuild('search rum_tsvector_ops')
  t.teardown(() => rebuild(RUM_INDEX_COLUMNS))
  t.same(await catalogueRepository.rankingSupport(db), { index: true, columns: 'search rum_tsvector_ops', extension: 'created' })
  const { app: restarted, lines } = await withStartupLog((logger) => buildApp({ config: testConfig(), database: rum.ctx.database.handle, logger }))
  t.teardown(() => restarted.close())
  t.match(
    lines.filter((line) => line.searchRanking !== undefined),
    [{ searchRanking: 'rum', level: 40, msg: /built on \(search rum_tsvector_ops\) rather than .*filtered on institution_schac, alliances, issuer_countries/ }],
    'a service started on it warns, and still ranks with RUM',
  )
  // (ties come in the index's order, which another index may change)
  const after = await walk(rum.ctx, search, 7)
  t.equal(new Set(after).size, after.length, 'no result twice')
  t.same([...after].sort(), [...before].sort(), 'every match that passes, the filters checked on the row')
  const name = (id: string | undefined) => catalogues[0].made.find((m) => m.id === id)?.name
  t.same([name(after[0]), name(after.at(-1))], ['both', 'body'], 'the best first, the match outside a title last')
  t.ok(before.length > 20, 'enough ties to page through')
})
