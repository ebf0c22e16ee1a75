import { count, eq } from 'drizzle-orm'
import t from 'tap'
import { changes, offerVersions, offers } from '../src/db/schema.js'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write']))

const offer = (externalId: string, overrides: Record<string, unknown> = {}) => ({ externalId, ...completeOffer({ title: { en: `Offer ${externalId}` }, ...overrides }) })
const sync = (payload: object, options: { headers?: Record<string, string>; query?: string; schac?: string } = {}) =>
  app.inject({
    method: 'POST',
    url: `/v1/institutions/${options.schac ?? 'unibo.it'}/offers/sync${options.query ?? ''}`,
    headers: options.headers ?? bologna,
    payload,
  })

async function counts() {
  const [o] = await db.select({ n: count() }).from(offers)
  const [v] = await db.select({ n: count() }).from(offerVersions)
  const [c] = await db.select({ n: count() }).from(changes)
  return { offers: o!.n, versions: v!.n, changes: c!.n }
}
const snapshot = async () => ({ offers: await db.select().from(offers).orderBy(offers.id), versions: await db.select().from(offerVersions) })
const externalIds = (items: Array<{ externalId: string }>) => items.map((i) => i.externalId).sort()

t.test('upsert creates and updates; an unchanged re-sync writes nothing', async (t) => {
  const first = await sync({ mode: 'upsert', offers: [offer('A'), offer('B'), offer('C', { status: 'draft', ects: undefined, workloadHours: undefined })] })
  t.equal(first.statusCode, 200, first.body)
  const summary = first.json()
  t.same(externalIds(summary.created), ['A', 'B', 'C'])
  t.ok(summary.created.every((i: { id: string; version: number }) => typeof i.id === 'string' && i.version === 1))
  t.same([summary.updated, summary.unchanged, summary.withdrawn], [[], [], []])
  t.equal(summary.dryRun, false)

  const before = await counts()
  const again = await sync({ mode: 'upsert', offers: [offer('A'), offer('B')] })
  t.same(externalIds(again.json().unchanged), ['A', 'B'])
  t.same(again.json().created, [])
  t.same(await counts(), before, 'no version, no feed entry, no row')

  const changed = await sync({ mode: 'upsert', offers: [offer('A', { ects: 4, workloadHours: 110 }), offer('B')] })
  t.same(externalIds(changed.json().updated), ['A'])
  t.equal(changed.json().updated[0].version, 2)
  t.same(externalIds(changed.json().unchanged), ['B'])
  const after = await counts()
  t.equal(after.versions, before.versions + 1)
  t.equal(after.changes, before.changes + 1, 'one feed entry for the one change')
})

t.test('replace withdraws published offers not given, keeps drafts, never deletes', async (t) => {
  const response = await sync({ mode: 'replace', offers: [offer('B'), offer('D')] })
  t.equal(response.statusCode, 200)
  const summary = response.json()
  t.same(externalIds(summary.created), ['D'])
  t.same(externalIds(summary.unchanged), ['B'])
  t.same(externalIds(summary.withdrawn), ['A'])
  const rows = await db.select({ externalId: offers.externalId, status: offers.status }).from(offers).where(eq(offers.institutionSchac, 'unibo.it'))
  t.same(Object.fromEntries(rows.map((r) => [r.externalId, r.status])), { A: 'withdrawn', B: 'published', C: 'draft', D: 'published' })

  const republished = await sync({ mode: 'upsert', offers: [offer('A', { ects: 4, workloadHours: 110 })] })
  t.same(externalIds(republished.json().updated), ['A'], 'a withdrawn offer given again is published again')
})

t.test('all or nothing: one bad offer and nothing is written; every bad offer is listed', async (t) => {
  const before = await snapshot()
  const response = await sync({
    mode: 'replace',
    offers: [
      offer('B', { ects: 5, workloadHours: 140 }),
      offer('E', { ects: 2.555 }),
      offer('F', { learningOutcomes: [] }),
      offer('G', { participation: ['telepathy'] }),
      offer('B'),
      offer('H', { awardingBodies: [{ schac: 'nowhere.example' }] }),
    ],
  })
  t.equal(response.statusCode, 422)
  const problem = response.json()
  t.equal(problem.code, 'SYNC_REJECTED')
  t.same(
    problem.invalidOffers.map((o: { index: number; externalId: string; code: string }) => [o.index, o.externalId, o.code]),
    [
      [1, 'E', 'INVALID_OFFER'],
      [2, 'F', 'OFFER_INCOMPLETE'],
      [3, 'G', 'VALIDATION_FAILED'],
      [4, 'B', 'DUPLICATE_EXTERNAL_ID'],
      [5, 'H', 'INVALID_OFFER'],
    ],
  )
  t.same(problem.invalidOffers[0].errors.map((e: { pointer: string }) => e.pointer), ['/offers/1/ects'])
  t.same(problem.invalidOffers[2].errors.map((e: { pointer: string }) => e.pointer), ['/offers/3/participation/0'])
  t.ok(problem.errors.length >= 5, 'every failing field is also in the flat list')
  t.same(await snapshot(), before, 'tables are byte-for-byte as before')
})

t.test('the envelope itself is validated as usual', async (t) => {
  const response = await sync({ offers: [] })
  t.equal(response.statusCode, 400)
  t.same(response.json().errors.map((e: { pointer: string }) => e.pointer), ['/mode'])
  const notArray = await sync({ mode: 'upsert', offers: { all: true } })
  t.equal(notArray.statusCode, 400)
})

t.test('a dry run reports what would happen and writes nothing', async (t) => {
  const before = await snapshot()
  const response = await sync({ mode: 'replace', offers: [offer('B', { ects: 5, workloadHours: 140 }), offer('NEW')] }, { query: '?dryRun=true' })
  t.equal(response.statusCode, 200)
  const summary = response.json()
  t.equal(summary.dryRun, true)
  t.same(summary.created, [{ externalId: 'NEW', id: null, version: 1 }])
  t.same(externalIds(summary.updated), ['B'])
  t.same(externalIds(summary.withdrawn), ['A', 'D'])
  t.same(await snapshot(), before)
})

t.test('an Idempotency-Key makes a retried sync apply once', async (t) => {
  const payload = { mode: 'upsert', offers: [offer('IDEM-1'), offer('IDEM-2')] }
  const headers = { ...bologna, 'idempotency-key': 'sync-2027-01-15' }
  const first = await sync(payload, { headers })
  t.equal(first.statusCode, 200)
  const before = await counts()
  const retry = await sync(payload, { headers })
  t.equal(retry.statusCode, 200)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.same(retry.json(), first.json(), 'the stored response is replayed')
  t.same(await counts(), before, 'applied once')
  const other = await sync({ ...payload, mode: 'replace' }, { headers })
  t.equal(other.statusCode, 422)
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED')
  const otherClient = await sync({ mode: 'upsert', offers: [] }, { headers: { ...leuven, 'idempotency-key': 'sync-2027-01-15' }, schac: 'kuleuven.be' })
  t.equal(otherClient.statusCode, 200, 'keys are scoped to the client')
})

t.test('concurrent syncs of one institution never interleave', async (t) => {
  const ids = Array.from({ length: 40 }, (_, i) => `CONC-${i}`)
  const round = (tag: number) => ({ mode: 'upsert', offers: ids.map((id) => offer(id, { title: { en: `Round ${tag}` } })) })
  const responses = await Promise.all([1, 2, 3, 4].map((tag) => sync(round(tag))))
  const statuses = responses.map((r) => r.statusCode)
  t.ok(statuses.every((s) => s === 200 || s === 409), `statuses ${statuses}`)
  t.ok(statuses.includes(200))
  for (const busy of responses.filter((r) => r.statusCode === 409)) {
    t.equal(busy.json().code, 'CATALOGUE_BUSY')
    t.equal(busy.headers['retry-after'], '5')
  }
  const rows = await db.select({ content: offers.content }).from(offers).where(eq(offers.institutionSchac, 'unibo.it'))
  const titles = new Set(rows.filter((r) => (r.content.title as { en: string }).en.startsWith('Round')).map((r) => (r.content.title as { en: string }).en))
  t.equal(titles.size, 1, 'every offer carries the same sync\'s content')
})

t.test('another institution cannot sync this catalogue', async (t) => {
  const before = await snapshot()
  const response = await sync({ mode: 'replace', offers: [] }, { headers: leuven })
  t.equal(response.statusCode, 403)
  t.same(await snapshot(), before)
})

t.test('five thousand offers in one request; the unchanged re-sync touches nothing', async (t) => {
  const many = Array.from({ length: 5000 }, (_, i) => offer(`BULK-${i}`))
  const payload = { mode: 'upsert', offers: many }
  t.ok(JSON.stringify(payload).length > 1024 * 1024, 'larger than the default body limit')
  const first = await sync(payload, { schac: 'kuleuven.be', headers: leuven })
  t.equal(first.statusCode, 200)
  t.equal(first.json().created.length, 5000)
  const before = await counts()
  const again = await sync(payload, { schac: 'kuleuven.be', headers: leuven })
  t.equal(again.json().unchanged.length, 5000)
  t.same(await counts(), before)
})

t.test('a synced offer is stored exactly as the same offer written alone with PUT', async (t) => {
  const content = completeOffer({
    title: { en: 'Equivalence of writes', fr: 'Équivalence des écritures' },
    languages: ['en', 'fr'],
    iscedFields: ['0613'],
    startDate: '2027-02-01',
    participation: ['online', 'blended'],
  })
  const synced = await sync({ mode: 'upsert', offers: [{ externalId: 'EQ-SYNC', ...content }] }, { schac: 'kuleuven.be', headers: leuven })
  t.equal(synced.statusCode, 200, synced.body)
  const put = await app.inject({ method: 'PUT', url: '/v1/institutions/kuleuven.be/offers/EQ-PUT', headers: leuven, payload: content })
  t.equal(put.statusCode, 201, put.body)

  const stored = async (externalId: string) => {
    const [row] = await db.select().from(offers).where(eq(offers.externalId, externalId))
    const { id, externalId: _externalId, createdAt: _c, updatedAt: _u, publishedAt, ...rest } = row!
    const [version] = await db.select().from(offerVersions).where(eq(offerVersions.offerId, id))
    const { offerId: _o, createdAt: _vc, publishedAt: versionPublishedAt, ...versionRest } = version!
    return { ...rest, published: publishedAt !== null, version: { ...versionRest, published: versionPublishedAt !== null } }
  }
  const fromSync = await stored('EQ-SYNC')
  t.same(fromSync, await stored('EQ-PUT'), 'every column, the search document included')
  t.match(String(fromSync.search), /equivalence/, 'the search document is filled')

  const found = await app.inject({ method: 'GET', url: '/v1/offers?q=ecritures&language=fr&institution=kuleuven.be' })
  t.same(found.json().items.map((o: { externalId: string }) => o.externalId).sort(), ['EQ-PUT', 'EQ-SYNC'])
})

t.test('a sync full of errors gets a capped report: the first problems in full, then counts per offer and per code', async (t) => {
  // 300 offers with 40 bad language keys each (12,000 field errors), one duplicate, one valid.
  const badTitle = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`BAD_${i}`, 'x']))
  const offers = [
    ...Array.from({ length: 300 }, (_, i) => offer(`BAD-${i}`, { title: badTitle })),
    offer('GOOD-1'),
    offer('GOOD-1'),
  ]
  const response = await sync({ mode: 'upsert', offers }, { query: '?dryRun=true' })
  t.equal(response.statusCode, 422)
  t.ok(response.body.length < 100_000, `the report is small: ${response.body.length} bytes`)
  const problem = response.json()
  t.equal(problem.code, 'SYNC_REJECTED')
  t.match(problem.detail, /301 of 302 offers are invalid; nothing was written; the first 100 errors are listed, the rest counted/)
  t.equal(problem.truncated, true)
  t.equal(problem.errors.length, 100, 'the first 100 field errors in full')
  t.equal(problem.invalidOffers.reduce((sum: number, o: { errors: unknown[] }) => sum + o.errors.length, 0), 100)
  t.match(problem.invalidOffers[0], { index: 0, externalId: 'BAD-0', code: 'VALIDATION_FAILED', errors: [{ in: 'body', pointer: '/offers/0/title/BAD_0' }] })
  t.same(problem.counts.byCode, { VALIDATION_FAILED: 300, DUPLICATE_EXTERNAL_ID: 1 })
  t.equal(problem.counts.invalidOffers, 301)
  t.equal(problem.counts.errors, 300 * 40 + 1)
  t.same(problem.counts.byOffer.at(-1), { index: 301, externalId: 'GOOD-1', code: 'DUPLICATE_EXTERNAL_ID', errors: 1 })
  t.ok(
    problem.counts.byOffer.every((o: { errors: number; code: string }) => o.code !== 'VALIDATION_FAILED' || o.errors === 40),
    'each offer left out or cut short, with its number of errors',
  )

  const few = await sync({ mode: 'upsert', offers: [offer('BAD', { title: { BAD: 'x' } })] })
  t.equal(few.statusCode, 422)
  t.notOk('truncated' in few.json(), 'a report within the cap is complete, with no counts')
  t.notOk('counts' in few.json())
})
