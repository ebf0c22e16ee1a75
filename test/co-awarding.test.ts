import { and, count, eq } from 'drizzle-orm'
import t from 'tap'
import { auditLog } from '../src/db/schema.js'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
for (const [schac, country] of [['unibo.it', 'IT'], ['kuleuven.be', 'BE'], ['helsinki.fi', 'FI'], ['uj.edu.pl', 'PL']] as const) {
  await ctx.institution(schac, country)
}
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write']))
const leuvenRegistrar = bearer(await ctx.key('kuleuven.be', ['recognition:write', 'recognition:read']))
const helsinki = bearer(await ctx.key('helsinki.fi', ['catalogue:write']))
const krakow = bearer(await ctx.key('uj.edu.pl', ['catalogue:write']))

const put = (externalId: string, payload: object, headers: Record<string, string> = bologna) =>
  app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
const answer = (offerId: string, schac: string, status: string, headers: Record<string, string>) =>
  app.inject({ method: 'PUT', url: `/v1/offers/${offerId}/awarding-bodies/${schac}`, headers, payload: { status } })
const requests = async (schac: string, headers: Record<string, string>, query = '') => get(`/v1/institutions/${schac}/awarding-requests${query}`, headers)
const listed = async (query: string) => (await get(`/v1/offers?${query}&limit=100`)).json().items.map((o: { externalId: string }) => o.externalId)

const joint = completeOffer({
  title: { en: 'Joint data science' },
  awardingBodies: [{ schac: 'unibo.it' }, { schac: 'kuleuven.be' }, { schac: 'helsinki.fi' }, { name: { en: 'Amsterdam Data Academy' }, country: 'NL' }],
  issuerCountries: ['IT', 'BE', 'FI', 'NL'],
})

t.test('naming another institution as awarding body asks it; until it confirms, the offer is the provider\'s alone', async (t) => {
  const created = await put('JOINT', joint)
  t.equal(created.statusCode, 201, created.body)
  const offer = created.json()
  t.same(offer.awardingBodies, [
    { schac: 'unibo.it', status: 'provider' },
    { schac: 'kuleuven.be', status: 'pending' },
    { schac: 'helsinki.fi', status: 'pending' },
    { name: { en: 'Amsterdam Data Academy' }, country: 'NL', status: 'declared' },
  ])
  t.same(offer.issuerCountries, ['IT', 'NL'], 'countries only pending institutions stand for are not listed')
  t.same(await listed('country=BE'), [])
  t.same(await listed('country=FI'), [])
  t.same(await listed('country=IT'), ['JOINT'])
  t.same(await listed('country=NL'), ['JOINT'], 'a body declared by name stays as the provider declares it')
  const version = (await get(`/v1/offers/${offer.id}/versions/1`)).json()
  t.same(version.issuerCountries, ['IT', 'BE', 'FI', 'NL'], 'the version keeps what the provider stated')

  const unbacked = await put('UNBACKED', completeOffer({ issuerCountries: ['IT', 'FR'] }))
  t.equal(unbacked.statusCode, 422)
  t.match(unbacked.json().errors, [{ pointer: '/issuerCountries/1', code: 'ISSUER_COUNTRY_WITHOUT_BODY' }], 'a country no awarding body is in')
})

t.test('each named institution sees what awaits it, with its own key only', async (t) => {
  const pending = await requests('kuleuven.be', leuven, '?status=pending')
  t.equal(pending.statusCode, 200)
  t.equal(pending.headers['cache-control'], 'no-store')
  t.match(pending.json().items, [{ offerInstitution: 'unibo.it', externalId: 'JOINT', institution: 'kuleuven.be', status: 'pending', title: { en: 'Joint data science' }, decidedAt: null }])
  t.equal(pending.json().items.length, 1)
  t.equal((await requests('kuleuven.be', bologna)).statusCode, 404, 'not another institution\'s')
  t.equal((await requests('kuleuven.be', {})).statusCode, 401)
  t.equal((await requests('kuleuven.be', leuvenRegistrar)).statusCode, 403, 'answering is catalogue:write')
  t.same((await requests('uj.edu.pl', krakow)).json().items, [], 'nothing for an institution not named')
})

t.test('a named institution confirms with its own key: the offer is listed with it', async (t) => {
  const offer = (await get('/v1/institutions/unibo.it/offers/JOINT')).json()
  const etag = (await get(`/v1/offers/${offer.id}`)).headers.etag
  const feedBefore = (await get('/v1/changes?after=0&limit=1000')).json().nextAfter

  t.equal((await answer(offer.id, 'kuleuven.be', 'confirmed', bologna)).statusCode, 403, 'the provider cannot confirm for it')
  t.equal((await answer(offer.id, 'kuleuven.be', 'confirmed', helsinki)).statusCode, 403, 'nor another named institution')
  t.equal((await answer(offer.id, 'uj.edu.pl', 'confirmed', krakow)).statusCode, 404, 'an institution the offer does not name has nothing to answer')
  t.equal((await answer(offer.id, 'kuleuven.be', 'pending', leuven)).statusCode, 400, 'pending is no answer')

  const confirmed = await answer(offer.id, 'kuleuven.be', 'confirmed', leuven)
  t.equal(confirmed.statusCode, 200, confirmed.body)
  t.match(confirmed.json(), { offerId: offer.id, institution: 'kuleuven.be', status: 'confirmed' })
  t.type(confirmed.json().decidedAt, 'string')

  const after = await get(`/v1/offers/${offer.id}`)
  t.not(after.headers.etag, etag, 'the offer shows something new')
  t.equal(after.json().version, 1, 'without a new version')
  t.same(after.json().awardingBodies[1], { schac: 'kuleuven.be', status: 'confirmed' })
  t.same(after.json().issuerCountries, ['IT', 'BE', 'NL'])
  t.same(await listed('country=BE'), ['JOINT'])

  const feed = (await get(`/v1/changes?after=${feedBefore}`)).json().items
  t.match(feed, [{ type: 'offer', id: offer.id, action: 'awarding_changed', version: 1 }], 'the change feed says so')
  const records = await db.select().from(auditLog).where(and(eq(auditLog.action, 'awarding.confirmed'), eq(auditLog.objectId, offer.id)))
  t.match(records, [{ chain: 'kuleuven.be', institution: 'kuleuven.be', objectType: 'offer', details: { offerInstitution: 'unibo.it', previous: 'pending' } }])

  const again = await answer(offer.id, 'kuleuven.be', 'confirmed', leuven)
  t.equal(again.statusCode, 200, 'the same answer again is fine')
  t.equal(again.json().decidedAt, confirmed.json().decidedAt, 'and changes nothing')
  const [{ n }] = (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.objectId, offer.id))) as [{ n: number }]
  t.equal(n, 2, 'the offer\'s creation and the one confirmation')
  t.equal((await get(`/v1/offers/${offer.id}`)).headers.etag, after.headers.etag)
})

t.test('a declining institution is not listed; an answer can change; a new version keeps the answers', async (t) => {
  const offer = (await get('/v1/institutions/unibo.it/offers/JOINT')).json()
  const declined = await answer(offer.id, 'helsinki.fi', 'declined', helsinki)
  t.equal(declined.statusCode, 200)
  t.same((await get(`/v1/offers/${offer.id}`)).json().awardingBodies[2], { schac: 'helsinki.fi', status: 'declined' })
  t.same(await listed('country=FI'), [])

  const revised = await put('JOINT', { ...joint, title: { en: 'Joint data science, revised' } })
  t.equal(revised.json().version, 2)
  t.same(revised.json().awardingBodies.map((b: { status: string }) => b.status), ['provider', 'confirmed', 'declined', 'declared'])
  t.same(revised.json().issuerCountries, ['IT', 'BE', 'NL'])

  t.equal((await answer(offer.id, 'helsinki.fi', 'confirmed', helsinki)).statusCode, 200)
  t.same(await listed('country=FI'), ['JOINT'])
  t.same((await requests('helsinki.fi', helsinki, '?status=pending')).json().items, [])
  t.match((await requests('helsinki.fi', helsinki, '?status=confirmed')).json().items, [{ externalId: 'JOINT', status: 'confirmed' }])
})

t.test('drafts are not shown to the institutions they name; the sync asks like PUT', async (t) => {
  const draft = (await put('JOINT-DRAFT', { title: { en: 'Joint draft' }, awardingBodies: [{ schac: 'kuleuven.be' }], status: 'draft' })).json()
  t.same((await requests('kuleuven.be', leuven, '?status=pending')).json().items, [])
  t.equal((await answer(draft.id, 'kuleuven.be', 'confirmed', leuven)).statusCode, 404, 'a hidden offer answers as absent')

  const synced = await app.inject({
    method: 'POST',
    url: '/v1/institutions/unibo.it/offers/sync',
    headers: bologna,
    payload: { mode: 'upsert', offers: [{ externalId: 'JOINT-SYNCED', ...completeOffer({ awardingBodies: [{ schac: 'unibo.it' }, { schac: 'uj.edu.pl' }], issuerCountries: ['IT', 'PL'] }) }] },
  })
  t.equal(synced.statusCode, 200, synced.body)
  t.match((await requests('uj.edu.pl', krakow)).json().items, [{ externalId: 'JOINT-SYNCED', status: 'pending' }])
  t.same(await listed('country=PL'), [])
})
