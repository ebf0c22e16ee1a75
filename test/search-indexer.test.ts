// The search indexer (README, "Full-text search at scale"): triggers on offers queue every offer
// whose search document or status a write changes, and the indexer brings the ranking copy
// (offer_search_ranking, which the RUM index is on) in line after the write has committed —
// on PostgreSQL and on PGlite alike; a write not yet committed is never taken half-way; an
// indexer that runs in the background keeps up by itself; a RUM search lists an offer only
// while it matches and is published now.
import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import t, { type Test } from 'tap'
import { rowsOf, type Database } from '../src/db/client.js'
import { COPIED, searchIndexRepository } from '../src/modules/catalogue/search-index-repository.js'
import { createSearchIndexer } from '../src/modules/catalogue/search-indexer.js'
import { admin, bearer, startTestApp, type TestContext } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { requires } from './helpers/requires.js'

async function catalogue(t: Test, options: Parameters<typeof startTestApp>[1] = {}) {
  const ctx = await startTestApp(t, options)
  await ctx.institution('unibo.it', 'IT')
  const key = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const put = async (externalId: string, body: Record<string, unknown>) => {
    const response = await ctx.app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: key, payload: body })
    if (response.statusCode >= 300) throw new Error(response.body)
    return response.json().id as string
  }
  return { ctx, key, put }
}

/** What the database holds for the search, by offer id: the queue and the ranking copy (null: none). */
async function searchState(ctx: TestContext) {
  const rows = rowsOf<{ id: string; status: string; search: string; queued: boolean; copy: string | null }>(
    await ctx.database.handle.db.execute(sql`
    select o.id, o.status, o.search::text as search, (p.offer_id is not null) as queued, r.search::text as copy
    from offers o left join offer_search_pending p on p.offer_id = o.id left join offer_search_ranking r on r.offer_id = o.id
    order by o.external_id`),
  )
  return new Map(rows.map((row) => [row.id, row]))
}

for (const pglite of [false, true]) {
  t.test(`${pglite ? 'PGlite' : 'PostgreSQL'}: writes queue what they change; the indexer copies it`, async (t) => {
    const { ctx, key, put } = await catalogue(t, { pglite })
    const storage = await put('storage', completeOffer({ title: { en: 'Grid energy storage' } }))
    const draft = await put('draft', { title: { en: 'Energy draft' }, status: 'draft' })
    let state = await searchState(ctx)
    t.match(state.get(storage), { queued: true, copy: null }, 'a published offer is queued, not yet copied')
    t.match(state.get(draft), { queued: false, copy: null }, 'a draft is not queued')

    t.equal(await ctx.app.searchIndexer.drain(), 1, 'one offer indexed')
    state = await searchState(ctx)
    t.match(state.get(storage), { queued: false, copy: state.get(storage)!.search })
    t.same(await ctx.app.searchIndexer.backlog(), { pending: 0, oldest: null, lagSeconds: 0 })

    await put('storage', completeOffer({ title: { en: 'Grid storage markets' } }))
    state = await searchState(ctx)
    t.equal(state.get(storage)?.queued, true, 'a new text is queued')
    t.match(state.get(storage)?.copy, /'energy'/, 'the copy keeps the previous text until the indexer runs')
    const backlog = await ctx.app.searchIndexer.backlog()
    t.equal(backlog.pending, 1)
    t.type(backlog.oldest, Date)
    t.ok(backlog.lagSeconds >= 0 && backlog.lagSeconds < 60, `lag of ${backlog.lagSeconds} s, by the database's clock`)
    await ctx.app.searchIndexer.drain()
    state = await searchState(ctx)
    t.equal(state.get(storage)?.copy, state.get(storage)?.search, 'the copy follows the new text')
    t.notMatch(state.get(storage)?.copy, /'energy'/)

    await put('storage', completeOffer({ title: { en: 'Grid storage markets' } }))
    t.equal((await searchState(ctx)).get(storage)?.queued, false, 'a write that changes nothing queues nothing')

    const withdrawn = await ctx.app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/storage', headers: key })
    t.equal(withdrawn.statusCode, 200)
    t.equal((await searchState(ctx)).get(storage)?.queued, true, 'a withdrawal is queued')
    await ctx.app.searchIndexer.drain()
    t.match((await searchState(ctx)).get(storage), { status: 'withdrawn', queued: false, copy: null }, 'and its copy removed')
  })
}

t.test('PostgreSQL: the queue keeps when an offer was first queued, and holds only what has a copy to keep', async (t) => {
  if (!(await requires(t, 'postgres'))) return
  const { ctx, put } = await catalogue(t)
  const id = await put('storage', completeOffer({ title: { en: 'Grid energy storage' } }))
  const draft = await put('draft', { title: { en: 'Energy draft' }, status: 'draft' })
  const queuedAt = async () =>
    rowsOf<{ at: string }>(await ctx.database.handle.db.execute(sql`select queued_at::text as at from offer_search_pending where offer_id = ${id}`))[0]?.at
  const first = await queuedAt()
  t.type(first, 'string', 'queued')
  await new Promise((resolve) => setTimeout(resolve, 20))
  await put('storage', completeOffer({ title: { en: 'Grid storage markets' } }))
  t.equal(await queuedAt(), first, 'written again while it waits: it keeps its place and its age')
  const backlog = await ctx.app.searchIndexer.backlog()
  t.equal(backlog.oldest?.getTime(), new Date(first!).getTime(), 'the backlog is as old as the longest wait')

  await put('draft', { title: { en: 'Energy draft, second thoughts' }, status: 'draft' })
  t.equal((await searchState(ctx)).get(draft)?.queued, false, 'a draft written again is not queued: it has no copy')
  await ctx.app.searchIndexer.drain()
})

/** Runs the one-time repair of migration 0022 (its last statement, read from the file). */
async function migrationRepair(t: Test, db: Database): Promise<void> {
  const migration = readFileSync(new URL('../migrations/0022_search_queue_keeps_first_time.sql', import.meta.url), 'utf8')
  const repair = migration.split('--> statement-breakpoint').at(-1)!
  t.match(repair, /^\s*INSERT INTO "offer_search_pending"/, 'the last statement is the repair')
  await db.execute(sql.raw(repair))
}

/** Runs the operators' repair, and checks what it answers and what the status then says. */
async function operatorRepair(t: Test, ctx: TestContext): Promise<void> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/search-index/repair', headers: admin })
  t.equal(response.statusCode, 202)
  t.same(response.json(), { queued: 3 }, 'three offers queued')
  const status = await ctx.app.inject({ method: 'GET', url: '/v1/search-index', headers: admin })
  t.match(status.json(), { ranking: /^(rum|ts_rank_cd)$/, pending: 3, oldestQueuedAt: String, lagSeconds: Number })
  t.equal(status.headers['cache-control'], 'no-store')
  const again = await ctx.app.inject({ method: 'POST', url: '/v1/search-index/repair', headers: admin })
  t.same(again.json(), { queued: 0 }, 'offers already queued are not counted again')
  const [audited] = rowsOf<{ details: { queued: number } }>(
    await ctx.database.handle.db.execute(sql`select details from audit_log where action = 'search-index.repair' order by id limit 1`),
  )
  t.same(audited?.details, { queued: 3 }, 'the repair is audited')
}

const repairs = [
  { name: 'migration 0022', pglite: false, run: (t: Test, ctx: TestContext) => migrationRepair(t, ctx.database.handle.db) },
  { name: 'POST /v1/search-index/repair', pglite: false, run: operatorRepair },
  { name: 'POST /v1/search-index/repair on PGlite', pglite: true, run: operatorRepair },
  {
    name: 'the repair, one offer at a time,',
    pglite: false,
    run: async (t: Test, ctx: TestContext) => t.equal(await searchIndexRepository.queueStale(ctx.database.handle.db, 1), 3, 'three offers queued, over five ranges'),
  },
]
for (const repair of repairs) {
  t.test(`${repair.name} queues every copy that is missing, differs or should not be there`, async (t) => {
    if (!repair.pglite && !(await requires(t, 'postgres'))) return
    const { ctx, put } = await catalogue(t, { pglite: repair.pglite })
    const db = ctx.database.handle.db
    const inSync = await put('in-sync', completeOffer({ title: { en: 'Grid energy storage' } }))
    const stale = await put('stale', completeOffer({ title: { en: 'Solar panels' } }))
    const missing = await put('missing', completeOffer({ title: { en: 'Wind turbines' } }))
    const gone = await put('gone', completeOffer({ title: { en: 'Tidal power' } }))
    await ctx.app.searchIndexer.drain()
    // What a round of the earlier indexer, or a write around the triggers, can leave behind (made by hand).
    await db.execute(sql`update offer_search_ranking set search = to_tsvector('simple', 'wind') where offer_id = ${stale}`)
    await db.execute(sql`delete from offer_search_ranking where offer_id = ${missing}`)
    await db.execute(sql`alter table offers disable trigger offers_search_queue_updated`)
    await db.execute(sql`update offers set status = 'withdrawn' where id = ${gone}`)
    await db.execute(sql`alter table offers enable trigger offers_search_queue_updated`)
    t.equal((await ctx.app.searchIndexer.backlog()).pending, 0, 'nothing queued before the repair')

    await repair.run(t, ctx)
    const state = await searchState(ctx)
    t.same(
      [inSync, stale, missing, gone].map((id) => state.get(id)?.queued),
      [false, true, true, true],
      'the stale, missing and withdrawn offers are queued; the one in sync is not',
    )
    await ctx.app.searchIndexer.drain()
    const repaired = await searchState(ctx)
    for (const id of [inSync, stale, missing]) t.equal(repaired.get(id)?.copy, repaired.get(id)?.search, 'copied as the offer is now')
    t.equal(repaired.get(gone)?.copy, null, 'the withdrawn offer has no copy left')
  })
}

t.test('PostgreSQL: the queueing trigger compares every column the copy keeps', async (t) => {
  if (!(await requires(t, 'postgres'))) return
  const { ctx } = await catalogue(t)
  const [row] = rowsOf<{ source: string }>(
    await ctx.database.handle.db.execute(sql`select pg_get_functiondef('offer_search_queue_updated'::regproc) as source`),
  )
  for (const column of [...COPIED, 'status']) {
    t.match(row!.source, `n."${column}"`, `the new ${column} is compared`)
    t.match(row!.source, `o."${column}"`, `with the previous one`)
  }
})

t.test('a sync of more offers than a batch is indexed batch after batch', async (t) => {
  const { ctx, key } = await catalogue(t, { config: { searchIndexer: { enabled: false, pollIntervalMs: 200, batch: 100 } } })
  const offers = Array.from({ length: 250 }, (_, i) => ({ externalId: `S-${i}`, ...completeOffer({ title: { en: `Energy course ${i}` } }) }))
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/institutions/unibo.it/offers/sync', headers: key, payload: { mode: 'upsert', offers } })
  t.equal(response.statusCode, 200, 'synced')
  t.equal((await ctx.app.searchIndexer.backlog()).pending, 250)
  t.equal(await ctx.app.searchIndexer.drain(), 250)
  const state = [...(await searchState(ctx)).values()]
  t.equal(state.filter((row) => row.copy === row.search && !row.queued).length, 250, 'every offer copied, none left queued')
})

t.test('an indexer started with the app keeps up by itself', async (t) => {
  const { ctx, put } = await catalogue(t, { config: { searchIndexer: { enabled: true, pollIntervalMs: 20, batch: 500 } } })
  const id = await put('storage', completeOffer({ title: { en: 'Grid energy storage' } }))
  const deadline = Date.now() + 10_000
  let row = (await searchState(ctx)).get(id)
  while (row?.copy !== row?.search && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    row = (await searchState(ctx)).get(id)
  }
  t.match(row, { queued: false, copy: row?.search }, 'copied without being asked')
})

t.test('PostgreSQL: a write not yet committed is taken by a later round, never half-way', async (t) => {
  if (!(await requires(t, 'postgres'))) return
  const { ctx, put } = await catalogue(t)
  const id = await put('storage', completeOffer({ title: { en: 'Grid energy storage' } }))
  await ctx.app.searchIndexer.drain()
  const writer = new pg.Client({ connectionString: ctx.database.url })
  await writer.connect()
  t.teardown(() => writer.end())
  const rewrite = (words: string) => writer.query(`update offers set search = to_tsvector('simple', $2) where id = $1`, [id, words])

  // Not queued before: the writer's trigger queues it, uncommitted.
  await writer.query('begin')
  await rewrite('solar panels')
  t.equal(await ctx.app.searchIndexer.drain(), 0, 'an uncommitted queue entry is not seen')
  await writer.query('commit')
  t.equal(await ctx.app.searchIndexer.drain(), 1)
  t.equal((await searchState(ctx)).get(id)?.copy, `'panels':2 'solar':1`)

  // Already queued (committed), then queued again by a write under way: the entry it holds is
  // skipped, so the round cannot copy the text the write is replacing and drop the entry.
  await rewrite('wind turbines')
  await writer.query('begin')
  await rewrite('tidal power')
  t.equal(await ctx.app.searchIndexer.drain(), 0, 'the entry the write holds is skipped')
  t.equal((await searchState(ctx)).get(id)?.copy, `'panels':2 'solar':1`, 'the copy is untouched meanwhile')
  await writer.query('commit')
  t.equal(await ctx.app.searchIndexer.drain(), 1)
  t.equal((await searchState(ctx)).get(id)?.copy, `'power':2 'tidal':1`, 'the committed text is copied')
})

t.test('PostgreSQL: the indexer never waits for an offer a sync holds (no deadlock with its queueing)', async (t) => {
  if (!(await requires(t, 'postgres'))) return
  const { ctx, put } = await catalogue(t)
  const id = await put('storage', completeOffer({ title: { en: 'Grid energy storage' } }))
  const writer = new pg.Client({ connectionString: ctx.database.url })
  await writer.connect()
  t.teardown(() => writer.end())
  // As a sync does: the institution's offers locked FOR UPDATE, then written (which queues
  // them) while the indexer works through what was queued before.
  await writer.query('begin')
  await writer.query('select id from offers where id = $1 for update', [id])
  const drained = await Promise.race([
    ctx.app.searchIndexer.drain(),
    new Promise((resolve) => setTimeout(() => resolve('waited'), 3000)),
  ])
  t.equal(drained, 1, 'the queued offer is copied while the sync holds it')
  await writer.query(`update offers set search = to_tsvector('simple', 'tidal power') where id = $1`, [id])
  await writer.query('commit')
  t.equal(await ctx.app.searchIndexer.drain(), 1)
  t.equal((await searchState(ctx)).get(id)?.copy, `'power':2 'tidal':1`)

  // A deleted offer (the benchmark clears its syncs so) is queued, and its copy removed.
  await ctx.database.handle.db.execute(sql`delete from offer_versions where offer_id = ${id}`)
  await ctx.database.handle.db.execute(sql`delete from offers where id = ${id}`)
  t.equal(await ctx.app.searchIndexer.drain(), 1)
  const left = rowsOf<{ n: number }>(await ctx.database.handle.db.execute(sql`select count(*)::int as n from offer_search_ranking where offer_id = ${id}`))
  t.equal(left[0]?.n, 0, 'no copy left of a deleted offer')
})

t.test('RUM: a search lists an offer while it matches and is published now', async (t) => {
  if (!(await requires(t, 'postgres', 'rum'))) return
  const { ctx, key, put } = await catalogue(t, { extensions: ['rum'] })
  const search = async (q: string) => {
    const response = await ctx.app.inject({ method: 'GET', url: `/v1/offers?q=${q}` })
    t.equal(response.statusCode, 200)
    return response.json().items.map((item: { id: string }) => item.id) as string[]
  }
  const storage = await put('storage', completeOffer({ title: { en: 'Grid energy storage' } }))
  t.same(await search('energy'), [], 'not yet copied: not ranked yet')
  await ctx.app.searchIndexer.drain()
  t.same(await search('energy'), [storage])

  // A filter column changed: the copy's old value drops the offer from the new value's search
  // until the indexer has run, and the offer's own new value from the old one's.
  await put('storage', completeOffer({ title: { en: 'Grid energy storage' }, eqfLevel: 6, qfEheaCycle: undefined }))
  t.same(await search('energy&eqfLevel=7'), [], 'the offer is no longer at level 7')
  t.same(await search('energy&eqfLevel=6'), [], 'the copy still says level 7')
  await ctx.app.searchIndexer.drain()
  t.same(await search('energy&eqfLevel=6'), [storage], 'listed at its new level once copied')

  await put('storage', completeOffer({ title: { en: 'Grid storage markets' } }))
  t.same(await search('energy'), [], 'its copy still says energy, the offer no longer does')
  await ctx.app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/storage', headers: key })
  t.same(await search('storage'), [], 'withdrawn: not listed though its copy is still there')
  await ctx.app.searchIndexer.drain()
  t.same(await search('storage'), [])
})

t.test('a round that fails is logged, and the next waits (an outage is not logged five times a second)', async (t) => {
  let rounds = 0
  const refuse = async () => {
    rounds++
    throw new Error('connection refused')
  }
  const failing = { execute: refuse, transaction: refuse } as unknown as Database
  const warnings: unknown[] = []
  const log = { warn: (...args: unknown[]) => warnings.push(args), debug: () => {} } as unknown as Parameters<typeof createSearchIndexer>[2]
  const indexer = createSearchIndexer(failing, { pollIntervalMs: 10, batch: 500 }, log)
  indexer.start()
  await new Promise((resolve) => setTimeout(resolve, 300))
  await indexer.stop()
  t.equal(rounds, 1, 'one round in 300 ms, not one every 10 ms')
  t.equal(warnings.length, 1)
})
