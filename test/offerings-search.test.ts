import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
await ctx.institution('ulb.be', 'BE')
await ctx.institution('uva.nl', 'NL')
await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['unibo.it', 'kuleuven.be'] } })
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))

const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
const putOffer = async (externalId: string, overrides: Record<string, unknown> = {}) =>
  (await app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: bologna, payload: completeOffer({ title: { en: externalId }, participation: ['online', 'onsite', 'blended'], ...overrides }) })).json()
const putRun = async (externalId: string, runId: string, run: Record<string, unknown>) => {
  const response = await app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}/runs/${runId}`, headers: bologna, payload: run })
  if (response.statusCode !== 201) throw new Error(response.body)
}
const base = { language: 'en', mode: 'online' }
const onsite = { mode: 'onsite', location: { city: 'Bologna', country: 'IT' } }

// OPEN: open now, online, places left, anyone. LATER: starts in a year, onsite, full, alliance students.
// LISTED: open to kuleuven.be and ulb.be only. CLOSED: application closed, blended. NONE: no runs.
await putOffer('OPEN')
await putRun('OPEN', 'R1', { ...base, startDate: shift(30), endDate: shift(60), application: { opens: shift(-5), closes: shift(5) }, places: { total: 20, available: 3 } })
await putOffer('LATER')
await putRun('LATER', 'R1', { ...base, ...onsite, startDate: shift(365), endDate: shift(400), places: { total: 20, available: 0 }, eligibility: { openTo: 'alliance_students' } })
await putOffer('LISTED')
await putRun('LISTED', 'R1', { ...base, startDate: shift(100), endDate: shift(120), eligibility: { openTo: 'institutions', institutions: ['kuleuven.be', 'ulb.be'] } })
await putOffer('CLOSED')
await putRun('CLOSED', 'R1', { ...base, mode: 'blended', location: { city: 'Bologna', country: 'IT' }, startDate: shift(10), endDate: shift(20), application: { opens: shift(-30), closes: shift(-1) } })
await putOffer('NONE')
await putOffer('DRAFT', { status: 'draft' })
await putRun('DRAFT', 'R1', { ...base, startDate: shift(30), endDate: shift(60), application: { opens: shift(-5), closes: shift(5) } })

const titles = async (query: string) => {
  const response = await app.inject({ method: 'GET', url: `/v1/offers?${query}` })
  if (response.statusCode !== 200) return response.statusCode
  return response.json().items.map((o: { title: { en: string } }) => o.title.en).sort()
}

t.test('each run filter', async (t) => {
  t.same(await titles('openNow=true'), ['OPEN'], 'the draft\'s open run does not make it appear')
  t.same(await titles(`startsFrom=${shift(50)}`), ['LATER', 'LISTED'])
  t.same(await titles(`startsUntil=${shift(50)}`), ['CLOSED', 'OPEN'])
  t.same(await titles(`startsFrom=${shift(50)}&startsUntil=${shift(200)}`), ['LISTED'])
  t.same(await titles('mode=onsite'), ['LATER'])
  t.same(await titles('mode=blended'), ['CLOSED'])
  t.same(await titles('hasPlaces=true'), ['OPEN'], 'a full run and a run without places stated have none left')
  t.same(await titles('openTo=kuleuven.be'), ['CLOSED', 'LATER', 'LISTED', 'OPEN'], 'anyone, the shared alliance, and listed')
  t.same(await titles('openTo=ulb.be'), ['CLOSED', 'LISTED', 'OPEN'], 'anyone and listed: no shared alliance')
  t.same(await titles('openTo=uva.nl'), ['CLOSED', 'OPEN'])
  t.same(await titles('openTo=unknown.example'), ['CLOSED', 'OPEN'], 'an unknown institution: runs open to anyone')
})

t.test('the filters apply to one same run', async (t) => {
  await putOffer('MIXED')
  await putRun('MIXED', 'ONLINE-PAST', { ...base, startDate: shift(-100), endDate: shift(-50) })
  await putRun('MIXED', 'ONSITE-NEXT', { ...onsite, language: 'en', startDate: shift(200), endDate: shift(230) })
  t.same(await titles(`mode=online&startsFrom=${shift(150)}`), [], 'its online run is past, its future run onsite')
  t.same(await titles(`mode=onsite&startsFrom=${shift(150)}`), ['LATER', 'MIXED'])
  t.same(await titles('openNow=true&mode=onsite'), [])
})

t.test('run filters combine with the others, and with paging', async (t) => {
  t.same(await titles('openTo=kuleuven.be&q=listed'), ['LISTED'])
  const first = (await app.inject({ method: 'GET', url: '/v1/offers?openTo=kuleuven.be&limit=2' })).json()
  t.equal(first.items.length, 2)
  const rest = (await app.inject({ method: 'GET', url: `/v1/offers?openTo=kuleuven.be&limit=3&cursor=${encodeURIComponent(first.nextCursor)}` })).json()
  t.equal(first.items.length + rest.items.length, 5)
  const other = await app.inject({ method: 'GET', url: `/v1/offers?openTo=ulb.be&limit=2&cursor=${encodeURIComponent(first.nextCursor)}` })
  t.equal(other.statusCode, 400, 'a cursor is bound to its filters')
})

t.test('contradictory or malformed run filters', async (t) => {
  const contradictory = await app.inject({ method: 'GET', url: `/v1/offers?startsFrom=${shift(10)}&startsUntil=${shift(5)}` })
  t.equal(contradictory.statusCode, 400)
  t.same(contradictory.json().errors.map((e: { pointer: string }) => e.pointer), ['/startsFrom'])
  t.equal(await titles('openNow=false'), 400, 'openNow is true or absent')
  t.equal(await titles('openTo=Not%20a%20code'), 400)
  t.equal(await titles('mode=teleport'), 400)
})
