import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['unibo.it', 'kuleuven.be'] } })
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write']))

const putOffer = (externalId: string, payload: object) =>
  app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: bologna, payload })
const runUrl = (externalId: string, runId: string, schac = 'unibo.it') => `/v1/institutions/${schac}/offers/${externalId}/runs/${runId}`
const putRun = (externalId: string, runId: string, payload: object, headers: Record<string, string> = bologna, schac = 'unibo.it') =>
  app.inject({ method: 'PUT', url: runUrl(externalId, runId, schac), headers, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

const today = new Date().toISOString().slice(0, 10)
const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

const onlineRun = (overrides: Record<string, unknown> = {}) => ({
  startDate: shift(30),
  endDate: shift(90),
  application: { opens: shift(-10), closes: shift(20) },
  places: { total: 40, available: 12 },
  language: 'en',
  mode: 'online',
  fees: [
    { amount: 0, currency: 'EUR', appliesTo: 'alliance_students' },
    { amount: 450, currency: 'EUR', appliesTo: 'others' },
  ],
  enrolmentUrl: 'https://www.unibo.it/apply/data',
  ...overrides,
})

const offer = (await putOffer('MC-RUNS', completeOffer({ participation: ['online', 'onsite'] }))).json()
const offerEtagBefore = (await get(`/v1/offers/${offer.id}`)).headers.etag

t.test('a run is created, read, replaced and deleted by its own id, with its own ETag', async (t) => {
  const created = await putRun('MC-RUNS', '2027-A', onlineRun())
  t.equal(created.statusCode, 201)
  const run = created.json()
  t.match(run, { offerId: offer.id, runId: '2027-A', institution: 'unibo.it', mode: 'online', openForApplication: true, eligibility: { openTo: 'anyone' } })
  t.type(run.id, 'string')
  t.equal(created.headers.etag, '"1"')
  t.notOk(created.headers['cache-control'], 'runs of a published offer are public')

  const again = await putRun('MC-RUNS', '2027-A', onlineRun())
  t.equal(again.statusCode, 200)
  t.equal(again.headers.etag, '"1"', 'an identical write changes nothing')
  t.equal(again.json().updatedAt, run.updatedAt)

  const read = await get(`/v1/offers/${offer.id}/runs/2027-A`)
  t.equal(read.statusCode, 200)
  t.same(read.json(), run)
  t.equal(read.headers.etag, '"1"')
  t.equal((await get(`/v1/offers/${offer.id}/runs/2027-A`, { 'if-none-match': '"1"' })).statusCode, 304)
  t.same((await get(`/v1/runs/${run.id}`)).json(), run, 'also by the service\'s id')

  const stale = await app.inject({ method: 'PUT', url: runUrl('MC-RUNS', '2027-A'), headers: { ...bologna, 'if-match': '"7"' }, payload: onlineRun() })
  t.equal(stale.statusCode, 412)
  const exists = await app.inject({ method: 'PUT', url: runUrl('MC-RUNS', '2027-A'), headers: { ...bologna, 'if-none-match': '*' }, payload: onlineRun() })
  t.equal(exists.statusCode, 412, 'If-None-Match: * refuses to replace')
  const replaced = await app.inject({
    method: 'PUT',
    url: runUrl('MC-RUNS', '2027-A'),
    headers: { ...bologna, 'if-match': '"1"' },
    payload: onlineRun({ places: { total: 40, available: 0 } }),
  })
  t.equal(replaced.statusCode, 200)
  t.equal(replaced.headers.etag, '"2"')
  t.equal(replaced.json().id, run.id, 'the id is stable')
  t.same(replaced.json().places, { total: 40, available: 0 })

  const offerAfter = await get(`/v1/offers/${offer.id}`)
  t.equal(offerAfter.headers.etag, offerEtagBefore, 'the offer\'s ETag is left alone')
  t.equal(offerAfter.json().version, 1, 'no new offer version')

  const wrongEtag = await app.inject({ method: 'DELETE', url: runUrl('MC-RUNS', '2027-A'), headers: { ...bologna, 'if-match': '"1"' } })
  t.equal(wrongEtag.statusCode, 412)
  const deleted = await app.inject({ method: 'DELETE', url: runUrl('MC-RUNS', '2027-A'), headers: { ...bologna, 'if-match': '"2"' } })
  t.equal(deleted.statusCode, 204)
  t.equal((await get(`/v1/offers/${offer.id}/runs/2027-A`)).statusCode, 404)
  t.equal((await get(`/v1/runs/${run.id}`)).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: runUrl('MC-RUNS', '2027-A'), headers: bologna })).statusCode, 404)
  t.equal((await putRun('MC-NONE', '2027-A', onlineRun())).statusCode, 404, 'no such offer')
})

t.test('every broken rule is listed with its code and pointer', async (t) => {
  const response = await putRun('MC-RUNS', 'BAD', {
    startDate: '2027-05-01',
    endDate: '2027-04-01',
    application: { opens: '2027-04-20', closes: '2027-04-10' },
    places: { total: 10, available: 11 },
    language: 'xx',
    mode: 'blended',
    fees: [
      { amount: 10.001, currency: 'EUR', appliesTo: 'everyone' },
      { amount: 5, currency: 'EUR', appliesTo: 'others' },
    ],
    eligibility: { openTo: 'institutions', institutions: ['nowhere.example'], languageRequirements: [{ language: 'en', cefr: 'B2' }, { language: 'en', cefr: 'C1' }] },
  })
  t.equal(response.statusCode, 422)
  const problem = response.json()
  t.equal(problem.code, 'INVALID_RUN')
  t.same(
    problem.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]),
    [
      ['/endDate', 'RUN_DATES_ORDER'],
      ['/application/closes', 'RUN_APPLICATION_ORDER'],
      ['/application/closes', 'RUN_APPLICATION_AFTER_END'],
      ['/places/available', 'RUN_PLACES_EXCEED_TOTAL'],
      ['/mode', 'RUN_MODE_NOT_OFFERED'],
      ['/location', 'RUN_LOCATION_REQUIRED'],
      ['/language', 'LANGUAGE_UNKNOWN'],
      ['/fees/0/amount', 'RUN_FEE_PRECISION'],
      ['/fees/1/appliesTo', 'RUN_FEE_AUDIENCE_OVERLAP'],
      ['/eligibility/languageRequirements/1/language', 'RUN_LANGUAGE_REQUIREMENT_DUPLICATE'],
      ['/eligibility/institutions/0', 'RUN_INSTITUTION_UNKNOWN'],
    ],
  )
  const dots = await putRun('MC-RUNS', '...', onlineRun())
  t.equal(dots.statusCode, 422)
  t.same(dots.json().errors.map((e: { code: string }) => e.code), ['RUN_ID_DOTS'])
  const schema = await putRun('MC-RUNS', 'S', { ...onlineRun(), mode: 'teleport' })
  t.equal(schema.statusCode, 400, 'schema failures are 400 as everywhere')
})

t.test('only the owning institution writes; runs of a draft are private', async (t) => {
  t.equal((await putRun('MC-RUNS', 'X', onlineRun(), leuven)).statusCode, 403)
  t.equal((await app.inject({ method: 'DELETE', url: runUrl('MC-RUNS', 'X'), headers: leuven })).statusCode, 403)
  t.equal((await putRun('MC-RUNS', 'X', onlineRun(), {})).statusCode, 401)

  const draft = (await putOffer('MC-DRAFT', { title: { en: 'Draft' }, participation: ['onsite'], status: 'draft' })).json()
  const created = await putRun('MC-DRAFT', 'D1', onlineRun({ mode: 'onsite', location: { city: 'Bologna', country: 'IT' } }))
  t.equal(created.statusCode, 201)
  t.equal(created.headers['cache-control'], 'no-store')
  t.equal((await get(`/v1/offers/${draft.id}/runs`)).statusCode, 404)
  t.equal((await get(`/v1/offers/${draft.id}/runs`, leuven)).statusCode, 404)
  t.equal((await get(`/v1/offers/${draft.id}/runs/D1`, leuven)).statusCode, 404)
  t.equal((await get(`/v1/runs/${created.json().id}`, leuven)).statusCode, 404)
  const own = await get(`/v1/offers/${draft.id}/runs`, bologna)
  t.equal(own.statusCode, 200)
  t.equal(own.headers['cache-control'], 'no-store')
  t.equal((await get(`/v1/offers/${draft.id}/runs/D1`, bologna)).headers['cache-control'], 'no-store')

  const online = await putRun('MC-DRAFT', 'D2', onlineRun())
  t.same(online.json().errors.map((e: { code: string }) => e.code), ['RUN_MODE_NOT_OFFERED'])
  const located = await putRun('MC-RUNS', 'L', onlineRun({ location: { city: 'Bologna', country: 'IT' } }))
  t.same(located.json().errors.map((e: { code: string }) => e.code), ['RUN_LOCATION_ONLINE'])
  const bare = (await putOffer('MC-BARE', { title: { en: 'Bare' }, status: 'draft' })).json()
  t.ok(bare.id)
  const none = await putRun('MC-BARE', 'B', onlineRun())
  t.match(none.json().errors[0].detail, /states no form of participation/)
})

t.test('runs are listed by start date, a page at a time', async (t) => {
  const listed = (await putOffer('MC-LIST', completeOffer())).json()
  for (const [runId, start] of [['C', 40], ['A', 10], ['B', 20]] as const) {
    t.equal((await putRun('MC-LIST', runId, onlineRun({ startDate: shift(start), endDate: shift(start + 30), application: undefined }))).statusCode, 201)
  }
  const first = (await get(`/v1/offers/${listed.id}/runs?limit=2`)).json()
  t.same(first.items.map((r: { runId: string }) => r.runId), ['A', 'B'])
  t.equal(first.items[0].openForApplication, false, 'no window stated: not open')
  const second = (await get(`/v1/offers/${listed.id}/runs?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json()
  t.same(second.items.map((r: { runId: string }) => r.runId), ['C'])
  t.equal(second.nextCursor, null)
  t.equal((await get('/v1/offers/00000000-0000-4000-8000-000000000000/runs')).statusCode, 404)
})

t.test('runs of a withdrawn offer can be deleted, not written', async (t) => {
  await putOffer('MC-GONE', completeOffer())
  t.equal((await putRun('MC-GONE', 'G', onlineRun())).statusCode, 201)
  t.equal((await putRun('MC-GONE', 'H', onlineRun())).statusCode, 201)
  await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/MC-GONE', headers: bologna })
  t.equal((await putRun('MC-GONE', 'G', onlineRun())).statusCode, 200, 'an unchanged re-send succeeds')
  const refused = await putRun('MC-GONE', 'G', onlineRun({ language: 'it' }))
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().code, 'OFFER_WITHDRAWN')
  t.equal((await app.inject({ method: 'DELETE', url: runUrl('MC-GONE', 'H'), headers: bologna })).statusCode, 204)
})

t.test('run changes are in the change feed, private while the offer is', async (t) => {
  const before = (await get('/v1/changes?type=run&limit=1000')).json().nextAfter
  const created = (await putRun('MC-RUNS', 'FEED', onlineRun())).json()
  await putRun('MC-RUNS', 'FEED', onlineRun({ language: 'it' }))
  await app.inject({ method: 'DELETE', url: runUrl('MC-RUNS', 'FEED'), headers: bologna })
  const draftRun = (await putRun('MC-DRAFT', 'FEED', onlineRun({ mode: 'onsite', location: { city: 'Bologna', country: 'IT' } }))).json()
  const feed = (await get(`/v1/changes?type=run&after=${before}`)).json().items
  t.same(feed.map((c: { id: string; action: string; version: number }) => [c.id, c.action, c.version]), [
    [created.id, 'created', 1],
    [created.id, 'updated', 2],
    [created.id, 'deleted', 2],
  ], 'the public sees the published offer\'s runs')
  const own = (await get(`/v1/changes?type=run&after=${before}`, bologna)).json().items
  t.same(own.map((c: { id: string; action: string }) => [c.id, c.action]).at(-1), [draftRun.id, 'created'], 'the institution sees its draft\'s')
  t.equal((await get(`/v1/changes?type=run&after=${before}`, leuven)).json().items.length, 3)
})

t.test('today is within the window: open for application', async (t) => {
  const closed = await putRun('MC-RUNS', 'CLOSED', onlineRun({ application: { opens: shift(-30), closes: shift(-1) } }))
  t.equal(closed.json().openForApplication, false)
  const lastDay = await putRun('MC-RUNS', 'LAST', onlineRun({ application: { opens: shift(-30), closes: today } }))
  t.equal(lastDay.json().openForApplication, true)
})
