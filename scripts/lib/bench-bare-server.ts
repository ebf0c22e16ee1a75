// The benchmark's yardsticks: bare Fastify routes, no plugins, no schemas, running the very
// statements the service runs through `pg` with the same pool size. Started as its own process
// by scripts/bench.ts, like the service.
//
// - GET /offers/:id (scenario 1): the service's offer_by_id statement (same text, same
//   columns, prepared by name as the service prepares it);
// - POST /recognitions/status (scenario 5): the two statements of the registrar's batch view
//   (the offers' states, their ex-ante decisions in force), captured at start-up from the
//   service's own repository functions, answered with the service's own entry builder and
//   JSON.stringify, without the service's validation, hooks, drizzle mapping or serialiser;
// - GET /offers?ectsMin=&eqfLevel=&language= (scenario 2): the statement of a page of offers
//   filtered so, captured at start-up from the service's repository function, sent as the
//   service sends it (unnamed, planned for its values, on the main pool); answered with the
//   rows as they come (as for scenario 1) and the position a cursor would carry;
// - GET /search?q= (scenario 3): the statement of a search by relevance, captured at start-up
//   from the service's repository function, on connections with the service's search settings,
//   as many as the service lets searches run at once (SEARCH_CONCURRENCY's default), prepared by
//   name as the service prepares it, ranked as the service would rank that text (RUM, or
//   ts_rank_cd where the database has no RUM index or the text may hold a phrase); answered with
//   the rows as they come (as for scenario 1) and the position a cursor would carry.
import { eq, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import Fastify from 'fastify'
import pg from 'pg'
import { offers } from '../../src/db/schema.js'
import { sessionOptions } from '../../src/db/client.js'
import { foldText } from '../../src/modules/catalogue/content.js'
import { catalogueRepository, offerViewColumns, RUM_SESSION_SETTINGS, type SearchRanking } from '../../src/modules/catalogue/repository.js'
import { chooseRanking } from '../../src/modules/catalogue/search-ranking.js'
import { mayHavePhrase } from '../../src/modules/catalogue/search-text.js'
import { recognitionRepository, type DecisionEntryRow } from '../../src/modules/recognition/repository.js'
import { toEntry } from '../../src/modules/recognition/service.js'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) })

/** The text of the service's offer_by_id statement, from the same query builder (drizzle only renders it here). */
const OFFER_BY_ID = drizzle(pool)
  .select(offerViewColumns)
  .from(offers)
  .where(eq(offers.id, sql.placeholder('id')))
  .limit(1)
  .toSQL().sql

interface Statement {
  text: string
  params: unknown[]
}

/** The statements a repository function sends, run once on an offer that does not exist. */
async function captured(run: (db: ReturnType<typeof drizzle>) => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = []
  await run(drizzle(pool, { logger: { logQuery: (text, params) => statements.push({ text, params }) } }))
  return statements
}

const PROBE_ID = '00000000-0000-4000-8000-000000000000'
const [STATES] = await captured((db) => catalogueRepository.findStatesByIds(db as never, [PROBE_ID]))
const [DECISIONS] = await captured((db) => recognitionRepository.exAnteInForce(db as never, [PROBE_ID]))
/** The statement's parameters with the probe's id list replaced by these ids. */
const withIds = (statement: Statement, ids: string[]) =>
  statement.params.map((param) => (typeof param === 'string' && param.includes(PROBE_ID) ? `{${ids.join(',')}}` : param))
/** Dates as the service reads them (YYYY-MM-DD text), not as JavaScript dates at midnight. */
const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 1082 ? (value: string) => value : pg.types.getTypeParser(oid, format)) }

/**
 * The statement of scenario 2's page, captured with probe values that equal none of its own
 * literal parameters (the status, the limit), so that each can be replaced by the request's.
 */
const FILTER_PROBE = { ectsMin: 0.25, eqfLevel: 1, language: 'xx' } as const
const [FILTERED] = await captured((db) => catalogueRepository.search(db as never, { ...FILTER_PROBE, sort: 'createdAt', limit: 20 }))

/** The two statements of a search by relevance, the word replaced by $text. */
const SEARCH_PROBE = 'passerelleprobe'
const ranking = chooseRanking(await catalogueRepository.rankingSupport(drizzle(pool) as never)).ranking
const searchStatement = async (by: SearchRanking) =>
  (await captured((db) => catalogueRepository.search(db as never, { q: SEARCH_PROBE, sort: 'relevance', ranking: by, limit: 20, sessionHasSettings: true })))[0]!
const SEARCHES = {
  rum: ranking === 'rum' ? await searchStatement('rum') : undefined,
  ts_rank_cd: await searchStatement('ts_rank_cd'),
}
/** Connections with the settings of the service's search sessions (see openSearchSessions), per ranking. */
const searchConcurrency = Math.max(1, Math.floor(Number(process.env.DB_POOL_MAX ?? 10) / 4))
const plainSettings = { statement_timeout: '2000', extra_float_digits: '1' }
const searchPools = {
  rum: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: searchConcurrency, options: sessionOptions({ ...plainSettings, ...RUM_SESSION_SETTINGS }) }),
  ts_rank_cd: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: searchConcurrency, options: sessionOptions(plainSettings) }),
}
const statementNames = new Map<string, string>()
const nameOf = (text: string) => statementNames.get(text) ?? statementNames.set(text, `bare_search_${statementNames.size}`).get(text)!

const app = Fastify({ logger: false })

app.get('/ready', async () => {
  await pool.query('select 1')
  return { status: 'ok' }
})

app.get<{ Params: { id: string } }>('/offers/:id', async (request, reply) => {
  const result = await pool.query({ name: 'offer_by_id', text: OFFER_BY_ID, values: [request.params.id, 1] })
  if (result.rows.length === 0) return reply.code(404).send({ error: 'not found' })
  return result.rows[0]
})

app.get<{ Querystring: Record<keyof typeof FILTER_PROBE, string> }>('/offers', async (request) => {
  const { ectsMin, eqfLevel, language } = request.query
  const given = new Map<unknown, unknown>([
    [FILTER_PROBE.ectsMin, Number(ectsMin)],
    [FILTER_PROBE.eqfLevel, Number(eqfLevel)],
    [FILTER_PROBE.language, language],
  ])
  const values = FILTERED!.params.map((param) => (given.has(param) ? given.get(param) : param))
  const result = await pool.query({ text: FILTERED!.text, values })
  const items = result.rows.slice(0, 20)
  const last = items.at(-1)
  // The position a cursor carries: the last row's sort key and id (the statement's last column and the id).
  const nextCursor = result.rows.length > 20 && last ? `${Object.values(last as object).at(-1)}:${(last as { id: string }).id}` : null
  return { items, nextCursor }
})

app.get<{ Querystring: { q: string } }>('/search', async (request) => {
  const text = foldText(request.query.q).trim()
  const by: SearchRanking = SEARCHES.rum !== undefined && !mayHavePhrase(text) ? 'rum' : 'ts_rank_cd'
  const statement = SEARCHES[by]!
  const values = statement.params.map((param) => (param === SEARCH_PROBE ? text : param))
  const result = await searchPools[by].query({ name: nameOf(statement.text), text: statement.text, values })
  const items = result.rows.slice(0, 20)
  const last = items.at(-1)
  // The position a cursor carries: the last row's sort key and its place, or its id (the statement's last two columns).
  const nextCursor = result.rows.length > 20 && last ? Object.values(last as object).slice(-2).join(':') : null
  return { items, nextCursor }
})

app.post<{ Body: { offers: string[] } }>('/recognitions/status', async (request) => {
  const ids = request.body.offers
  const [states, decided] = await Promise.all([
    pool.query({ text: STATES!.text, values: withIds(STATES!, ids), types }),
    pool.query({ text: DECISIONS!.text, values: withIds(DECISIONS!, ids), types }),
  ])
  const found = new Map(states.rows.map((row) => [row.id as string, row as { version: number; status: string }]))
  const entries = new Map<string, ReturnType<typeof toEntry>[]>()
  for (const row of decided.rows) {
    const current = found.get(row.offer_id)?.version
    if (current === undefined) continue
    const entry: DecisionEntryRow = {
      id: row.id,
      recognisingInstitution: row.recognising_institution,
      offerId: row.offer_id,
      offerVersion: row.offer_version,
      purpose: row.purpose,
      outcome: row.outcome,
      creditsRecognised: Number(row.credits_recognised),
      details: row.details,
      validFrom: row.valid_from,
      validUntil: row.valid_until,
      decidedAt: row.decided_at,
    }
    // The benchmark's decisions are all on the offers' current versions: nothing to compare.
    entries.set(row.offer_id, [...(entries.get(row.offer_id) ?? []), toEntry(entry, current, [])])
  }
  const items = ids.map((offerId) => {
    const offer = found.get(offerId)
    return { offerId, found: offer !== undefined, currentVersion: offer?.version ?? null, offerWithdrawn: offer?.status === 'withdrawn', recognitions: entries.get(offerId) ?? [] }
  })
  return { items }
})

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' })
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => Promise.all([pool.end(), searchPools.rum.end(), searchPools.ts_rank_cd.end()]))
    .then(() => process.exit(0))
})
