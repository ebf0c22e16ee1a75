import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['unibo.it', 'kuleuven.be'] } })
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write', 'recognition:read']))

const put = (externalId: string, payload: object, headers: Record<string, string> = bologna, schac = 'unibo.it') =>
  app.inject({ method: 'PUT', url: `/v1/institutions/${schac}/offers/${externalId}`, headers, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

t.test('lifecycle and versions', async (t) => {
  const draft = await put('MC-LIFE', { title: { en: 'Lifecycle' }, status: 'draft' })
  t.equal(draft.statusCode, 201)
  t.equal(draft.headers['cache-control'], 'no-store')
  const saved = draft.json()
  t.match(saved, { status: 'draft', version: 1, publishedAt: null, compliance: { complete: false } })
  t.same(saved.compliance.missing.map((m: { number: number }) => m.number), [6, 7, 8, 9, 10, 11])

  const incomplete = await put('MC-LIFE', { title: { en: 'Lifecycle' } })
  t.equal(incomplete.statusCode, 422)
  const problem = incomplete.json()
  t.equal(problem.code, 'OFFER_INCOMPLETE')
  t.same(problem.missing.map((m: { element: string }) => m.element), [
    'Learning outcomes',
    'Notional workload needed to achieve the learning outcomes (in ECTS, wherever possible)',
    'Level (and cycle, if applicable) of the learning experience (EQF, QF-EHEA)',
    'Type of assessment',
    'Form of participation in the learning activity',
    'Type of quality assurance used to underpin the micro-credential',
  ])
  t.same(problem.errors.map((e: { pointer: string }) => e.pointer), ['/learningOutcomes', '/ects', '/eqfLevel', '/assessments', '/participation', '/qualityAssurance'])

  const published = await put('MC-LIFE', completeOffer({ title: { en: 'Lifecycle' } }))
  t.equal(published.statusCode, 200)
  const v2 = published.json()
  t.match(v2, { id: saved.id, status: 'published', version: 2, compliance: { complete: true, missing: [] } })
  t.type(v2.publishedAt, 'string')
  t.notOk(published.headers['cache-control'])

  const again = await put('MC-LIFE', completeOffer({ title: { en: 'Lifecycle' } }))
  t.equal(again.statusCode, 200)
  t.equal(again.json().version, 2, 'identical content: no new version')
  t.equal(again.headers.etag, published.headers.etag)
  t.equal(again.json().updatedAt, v2.updatedAt)

  const changed = await put('MC-LIFE', completeOffer({ title: { en: 'Lifecycle, revised' } }))
  t.equal(changed.json().version, 3)

  const backToDraft = await put('MC-LIFE', { ...completeOffer(), status: 'draft' })
  t.equal(backToDraft.statusCode, 409)
  t.equal(backToDraft.json().code, 'INVALID_STATUS_TRANSITION')

  const versions = await get(`/v1/offers/${saved.id}/versions`)
  t.same(versions.json().items.map((v: { version: number }) => v.version), [2, 3], 'the public sees published versions only')
  const ownerVersions = await get(`/v1/offers/${saved.id}/versions`, bologna)
  t.same(ownerVersions.json().items.map((v: { version: number }) => v.version), [1, 2, 3])
  const old = await get(`/v1/offers/${saved.id}/versions/2`)
  t.equal(old.statusCode, 200)
  t.same(old.json().title, { en: 'Lifecycle' }, 'an old version is exactly as it was')
  t.equal(old.json().version, 2)
  t.equal((await get(`/v1/offers/${saved.id}/versions/1`)).statusCode, 404, 'a draft version is private')
  t.equal((await get(`/v1/offers/${saved.id}/versions/1`, bologna)).statusCode, 200)

  const withdrawn = await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/MC-LIFE', headers: bologna })
  t.equal(withdrawn.statusCode, 200)
  t.match(withdrawn.json(), { status: 'withdrawn', version: 3 })
  t.type(withdrawn.json().withdrawnAt, 'string')
  const stillReadable = await get(`/v1/offers/${saved.id}`)
  t.equal(stillReadable.statusCode, 200)
  t.equal(stillReadable.json().status, 'withdrawn')
  const search = await get('/v1/offers?q=lifecycle')
  t.same(search.json().items, [], 'withdrawn offers leave the search')
  t.equal((await get(`/v1/offers/${saved.id}/versions/3`)).statusCode, 200, 'history stays')

  const republished = await put('MC-LIFE', completeOffer({ title: { en: 'Lifecycle, revised' } }))
  t.match(republished.json(), { status: 'published', version: 3, withdrawnAt: null, publishedAt: v2.publishedAt })
})

t.test('conditional writes and reads', async (t) => {
  const created = await put('MC-COND', completeOffer(), { ...bologna, 'if-none-match': '*' })
  t.equal(created.statusCode, 201)
  const etag = created.headers.etag as string
  t.equal((await put('MC-COND', completeOffer(), { ...bologna, 'if-none-match': '*' })).statusCode, 412)
  t.equal((await put('MC-COND', completeOffer({ ects: 4, workloadHours: 100 }), { ...bologna, 'if-match': '"999"' })).statusCode, 412)
  const updated = await put('MC-COND', completeOffer({ ects: 4, workloadHours: 100 }), { ...bologna, 'if-match': etag })
  t.equal(updated.statusCode, 200)
  t.not(updated.headers.etag, etag)
  const id = created.json().id
  t.equal((await get(`/v1/offers/${id}`, { 'if-none-match': updated.headers.etag as string })).statusCode, 304)
  t.equal((await get(`/v1/offers/${id}`, { 'if-none-match': etag })).statusCode, 200)
  const withdraw = await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/MC-COND', headers: { ...bologna, 'if-match': etag } })
  t.equal(withdraw.statusCode, 412, 'a withdrawal can be conditional too')
})

t.test('references outside the offer are checked', async (t) => {
  const response = await put('MC-REF', completeOffer({
    awardingBodies: [{ schac: 'unibo.it' }, { schac: 'nowhere.example' }, { name: { en: 'ANVUR-accredited consortium' }, country: 'IT' }],
    alliances: ['una-europa', 'civis'],
    stackability: { mode: 'stackable', towards: [{ offerId: '00000000-0000-4000-8000-000000000000' }] },
  }))
  t.equal(response.statusCode, 422)
  t.equal(response.json().code, 'INVALID_OFFER')
  t.same(response.json().errors.map((e: { pointer: string }) => e.pointer), [
    '/awardingBodies/1/schac',
    '/stackability/towards/0/offerId',
  ], 'alliances are not checked: they are ignored (an offer is in its institution\'s alliances of now)')
  t.equal((await get('/v1/institutions/unibo.it/offers/MC-REF', bologna)).statusCode, 404, 'nothing was written')
})

t.test('schema validation names each bad field', async (t) => {
  const response = await put('MC-BAD', {
    title: { en: 'Bad' },
    ects: 0,
    eqfLevel: 9,
    participation: ['telepathy'],
    languages: ['English'],
    assessments: [{ type: 'exam' }],
    homepage: 'javascript:alert(1)',
    surprise: true,
  })
  t.equal(response.statusCode, 400)
  t.same(response.json().errors.map((e: { pointer: string }) => e.pointer).sort(), [
    '/assessments/0/type',
    '/ects',
    '/eqfLevel',
    '/homepage',
    '/languages/0',
    '/participation/0',
    '/surprise',
  ])
})

t.test('another institution can neither write nor see drafts; operators cannot write offers', async (t) => {
  const draft = (await put('MC-PRIVATE', { title: { en: 'Secret plan' }, status: 'draft' })).json()
  const live = (await put('MC-LIVE', completeOffer({ title: { en: 'Live offer' } }))).json()
  const before = await ctx.database.handle.db.query.offers.findMany()

  const attempts = [
    await put('MC-LIVE', completeOffer({ title: { en: 'Hijacked' } }), leuven),
    await put('MC-NEW-FROM-LEUVEN', completeOffer(), leuven),
    await put('MC-PRIVATE', { title: { en: 'Hijacked' }, status: 'draft' }, leuven),
    await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/MC-LIVE', headers: leuven }),
  ]
  for (const attempt of attempts) {
    t.equal(attempt.statusCode, 403)
    t.equal(attempt.json().code, 'FORBIDDEN')
  }
  const operator = await put('MC-LIVE', completeOffer(), admin)
  t.equal(operator.statusCode, 403)
  t.equal(operator.json().code, 'INSUFFICIENT_SCOPE')
  t.same(await ctx.database.handle.db.query.offers.findMany(), before, 'no row changed')

  for (const headers of [{}, leuven, admin]) {
    t.equal((await get(`/v1/offers/${draft.id}`, headers)).statusCode, 404)
    t.equal((await get('/v1/institutions/unibo.it/offers/MC-PRIVATE', headers)).statusCode, 404)
    t.equal((await get(`/v1/offers/${draft.id}/versions`, headers)).statusCode, 404)
    t.equal((await get(`/v1/offers/${draft.id}/versions/1`, headers)).statusCode, 404)
  }
  t.equal((await get(`/v1/offers/${draft.id}`, bologna)).statusCode, 200, 'the owner sees its draft')
  t.equal((await get('/v1/institutions/unibo.it/offers/MC-PRIVATE', bologna)).json().status, 'draft')
  t.equal((await get(`/v1/offers/${live.id}`, leuven)).statusCode, 200, 'published offers are public')
  const search = await get('/v1/offers?q=secret', bologna)
  t.same(search.json().items, [], 'drafts never appear in the search')
})
