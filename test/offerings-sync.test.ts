import { count } from 'drizzle-orm'
import t from 'tap'
import { changes, offerRuns, offers } from '../src/db/schema.js'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))

const run = (runId: string, overrides: Record<string, unknown> = {}) => ({
  runId,
  startDate: '2027-02-01',
  endDate: '2027-05-31',
  application: { opens: '2026-11-01', closes: '2027-01-15' },
  language: 'en',
  mode: 'online',
  ...overrides,
})
const offer = (externalId: string, runs?: object[], overrides: Record<string, unknown> = {}) => ({
  externalId,
  ...completeOffer({ title: { en: `Offer ${externalId}` }, participation: ['online', 'onsite'], ...overrides }),
  ...(runs ? { runs } : {}),
})
const sync = (payload: object, query = '', headers: Record<string, string> = bologna) =>
  app.inject({ method: 'POST', url: `/v1/institutions/unibo.it/offers/sync${query}`, headers, payload })
const totals = async () => ({
  offers: (await db.select({ n: count() }).from(offers))[0]!.n,
  runs: (await db.select({ n: count() }).from(offerRuns))[0]!.n,
  changes: (await db.select({ n: count() }).from(changes))[0]!.n,
})
const runIds = async (externalId: string) => {
  const found = (await app.inject({ method: 'GET', url: `/v1/institutions/unibo.it/offers/${externalId}` })).json()
  return (await app.inject({ method: 'GET', url: `/v1/offers/${found.id}/runs` })).json().items.map((r: { runId: string }) => r.runId).sort()
}

t.test('a sync brings each offer\'s runs in line: created, updated, unchanged, deleted', async (t) => {
  const start = await totals()
  const dry = await sync({ mode: 'upsert', offers: [offer('A', [run('R1'), run('R2')]), offer('B')] }, '?dryRun=true')
  t.equal(dry.statusCode, 200, dry.body)
  t.same(dry.json().runs, { created: 2, updated: 0, unchanged: 0, deleted: 0 }, 'a dry run counts runs too')
  t.same(await totals(), start, 'and writes nothing')

  const first = await sync({ mode: 'upsert', offers: [offer('A', [run('R1'), run('R2')]), offer('B')] })
  t.equal(first.statusCode, 200, first.body)
  t.same(first.json().runs, { created: 2, updated: 0, unchanged: 0, deleted: 0 })
  t.same(await runIds('A'), ['R1', 'R2'])
  t.same(await runIds('B'), [])

  const before = await totals()
  const same = await sync({ mode: 'upsert', offers: [offer('A', [run('R1'), run('R2')]), offer('B')] })
  t.same(same.json().runs, { created: 0, updated: 0, unchanged: 2, deleted: 0 })
  t.same(await totals(), before, 'an unchanged re-sync writes nothing')

  const withoutRuns = await sync({ mode: 'upsert', offers: [offer('A')] })
  t.same(withoutRuns.json().runs, { created: 0, updated: 0, unchanged: 0, deleted: 0 }, 'runs absent: left as they are')
  t.same(await runIds('A'), ['R1', 'R2'])

  const changed = await sync({ mode: 'upsert', offers: [offer('A', [run('R2', { language: 'it' }), run('R3', { startDate: '2027-09-01', endDate: '2027-12-20', application: undefined })])] })
  t.equal(changed.statusCode, 200, changed.body)
  t.same(changed.json().runs, { created: 1, updated: 1, unchanged: 0, deleted: 1 })
  t.same(changed.json().unchanged.map((i: { externalId: string }) => i.externalId), ['A'], 'the offer itself is unchanged: no new version')
  t.same(await runIds('A'), ['R2', 'R3'])
  const feed = (await app.inject({ method: 'GET', url: `/v1/changes?type=run&after=${before.changes}` })).json().items
  t.same(feed.map((c: { action: string }) => c.action).sort(), ['created', 'deleted', 'updated'])

  const cleared = await sync({ mode: 'upsert', offers: [offer('A', [])] })
  t.same(cleared.json().runs, { created: 0, updated: 0, unchanged: 0, deleted: 2 }, 'an empty list deletes every run')
})

t.test('runs of a draft synced are private in the feed', async (t) => {
  const before = (await totals()).changes
  const response = await sync({ mode: 'upsert', offers: [offer('D', [run('R1')], { status: 'draft' })] })
  t.equal(response.statusCode, 200, response.body)
  const publicFeed = (await app.inject({ method: 'GET', url: `/v1/changes?type=run&after=${before}` })).json().items
  t.same(publicFeed, [])
  const own = (await app.inject({ method: 'GET', url: `/v1/changes?type=run&after=${before}`, headers: bologna })).json().items
  t.equal(own.length, 1)
})

t.test('an invalid run rejects the whole sync, with the offer\'s index and the run\'s pointer', async (t) => {
  const before = await totals()
  const response = await sync({
    mode: 'upsert',
    offers: [
      offer('OK', [run('R1')]),
      offer('BAD', [run('R1', { endDate: '2027-01-01' }), run('R1'), run('...')]),
      offer('WORSE', [run('R1', { mode: 'onsite' })], { ects: undefined }),
      offer('A', [run('R9', { mode: 'blended', location: { city: 'Bologna', country: 'IT' } })]),
      offer('SCHEMA', [{ runId: 'R1' }]),
    ],
  })
  t.equal(response.statusCode, 422)
  const problem = response.json()
  t.equal(problem.code, 'SYNC_REJECTED')
  const byIndex = Object.fromEntries(problem.invalidOffers.map((o: { index: number; code: string; errors: Array<{ pointer: string; code?: string }> }) => [
    o.index,
    [o.code, o.errors.map((e) => `${e.pointer}${e.code ? ` ${e.code}` : ''}`)],
  ]))
  t.same(byIndex[1], [
    'INVALID_RUN',
    ['/offers/1/runs/1/runId RUN_ID_DUPLICATE', '/offers/1/runs/2/runId RUN_ID_DOTS', '/offers/1/runs/0/endDate RUN_DATES_ORDER', '/offers/1/runs/0/application/closes RUN_APPLICATION_AFTER_END'],
  ])
  t.equal(byIndex[2][0], 'OFFER_INCOMPLETE', 'the offer\'s own problem leads')
  t.ok(byIndex[2][1].includes('/offers/2/runs/0/location RUN_LOCATION_REQUIRED'), 'its runs\' are listed with it')
  t.same(byIndex[3], ['INVALID_RUN', ['/offers/3/runs/0/mode RUN_MODE_NOT_OFFERED']], 'an unchanged offer with an invalid run')
  t.equal(byIndex[4][0], 'VALIDATION_FAILED')
  t.equal(byIndex[0], undefined)
  t.same(await totals(), before, 'nothing written')
})

t.test('a run follows the participation the sync gives its offer', async (t) => {
  const narrowed = await sync({ mode: 'upsert', offers: [offer('P', [run('R1', { mode: 'onsite', location: { city: 'Bologna', country: 'IT' } })], { participation: ['online'] })] })
  t.equal(narrowed.statusCode, 422)
  t.same(narrowed.json().invalidOffers[0].errors.map((e: { code: string }) => e.code), ['RUN_MODE_NOT_OFFERED'])
})
