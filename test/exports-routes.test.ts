import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer, exportableOffer } from './helpers/offers.js'
import { validateElm } from './helpers/shacl.js'

/** The export routes: ELM JSON-LD of an offer or a version, OB3; URIs from PUBLIC_BASE_URL; only confirmed co-awarders. */

const BASE = 'https://catalogue.example.eu'
const ELM = 'http://data.europa.eu/snb/model/elm/'
const ctx = await startTestApp(t, { config: { exports: { publicBaseUrl: BASE, elmVersion: '3.1' } } })
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
await ctx.institution('helsinki.fi', 'FI')
await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it', headers: admin, payload: { name: { en: 'University of Bologna' }, country: 'IT', website: 'https://www.unibo.it' } })
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write']))
const put = (externalId: string, payload: object) => app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: bologna, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

t.test('an offer and each of its versions export as ELM JSON-LD that conforms, with URIs from PUBLIC_BASE_URL', async (t) => {
  const created = (await put('ELM-1', exportableOffer())).json()
  await put('ELM-1', exportableOffer({ title: { en: 'Data literacy, second edition' } }))
  const current = await get(`/v1/offers/${created.id}/elm`)
  t.equal(current.statusCode, 200)
  t.match(current.headers['content-type'], /^application\/ld\+json/)
  const document = current.json()
  t.match(document, {
    id: `${BASE}/v1/offers/${created.id}`,
    type: 'LearningOpportunity',
    title: { en: 'Data literacy, second edition' },
    providedBy: [{ id: `${BASE}/v1/institutions/unibo.it`, legalName: { en: 'University of Bologna' }, homepage: [{ contentURL: 'https://www.unibo.it' }] }],
    learningAchievementSpecification: {
      type: 'Qualification',
      eqfLevel: [{ id: 'http://data.europa.eu/snb/eqf/7' }],
      accreditation: [{ accreditingAgent: { id: `${BASE}/v1/offers/${created.id}#accreditation-agency`, location: [{ id: `${BASE}/v1/offers/${created.id}#accreditation-agency-location` }] } }],
    },
  })
  const result = await validateElm(document)
  t.ok(result.conforms, result.violations.join('\n'))
  t.equal(result.targeted[`${ELM}LearningOpportunity`], 1)

  const first = await get(`/v1/offers/${created.id}/versions/1/elm`)
  t.equal(first.statusCode, 200)
  t.match(first.json(), { id: `${BASE}/v1/offers/${created.id}/versions/1`, title: { en: 'Data literacy for researchers' } }, 'the version as it was')
  t.equal((await get(`/v1/offers/${created.id}/versions/9/elm`)).statusCode, 404)

  const badge = await get(`/v1/offers/${created.id}/ob3`)
  t.equal(badge.statusCode, 200)
  t.match(badge.json(), { type: ['Achievement'], achievementType: 'MicroCredential', creator: { id: `${BASE}/v1/institutions/unibo.it`, url: 'https://www.unibo.it' } })
})

t.test('an offer that lacks what a target needs is refused with what is missing, as exportReadiness says', async (t) => {
  const created = (await put('NOT-READY', completeOffer())).json()
  const refused = await get(`/v1/offers/${created.id}/elm`)
  t.equal(refused.statusCode, 422)
  t.equal(refused.json().code, 'EXPORT_NOT_READY')
  t.same(refused.json().missing, created.exportReadiness.elm.missing)
  t.ok(refused.json().missing.length > 0)
  t.equal((await get(`/v1/offers/${created.id}/ob3`)).statusCode, 200, 'ready for OB3 all the same')
})

t.test('co-awarding institutions are exported once they confirm, never while pending or after declining', async (t) => {
  const created = (await put('JOINT', exportableOffer({ awardingBodies: [{ schac: 'unibo.it' }, { schac: 'kuleuven.be' }] }))).json()
  const providers = async () => (await get(`/v1/offers/${created.id}/elm`)).json().providedBy.map((p: { id: string }) => p.id.split('/').pop())
  t.same(await providers(), ['unibo.it'], 'pending')
  const answer = (status: string) => app.inject({ method: 'PUT', url: `/v1/offers/${created.id}/awarding-bodies/kuleuven.be`, headers: leuven, payload: { status } })
  t.equal((await answer('confirmed')).statusCode, 200)
  t.same(await providers(), ['unibo.it', 'kuleuven.be'], 'confirmed')
  const result = await validateElm((await get(`/v1/offers/${created.id}/elm`)).json())
  t.ok(result.conforms, result.violations.join('\n'))
  t.equal((await answer('declined')).statusCode, 200)
  t.same(await providers(), ['unibo.it'], 'declined')
})

t.test('a draft is exported for its provider only', async (t) => {
  const draft = (await put('DRAFT', exportableOffer({ status: 'draft' }))).json()
  t.equal((await get(`/v1/offers/${draft.id}/elm`)).statusCode, 404)
  t.equal((await get(`/v1/offers/${draft.id}/elm`, leuven)).statusCode, 404)
  t.equal((await get(`/v1/offers/${draft.id}/elm`, bologna)).statusCode, 200)
})

t.test('without PUBLIC_BASE_URL the URIs are built from where the request came in', async (t) => {
  const local = await startTestApp(t, { config: { exports: { publicBaseUrl: undefined, elmVersion: '3.3' } } })
  await local.institution('unibo.it', 'IT')
  const key = bearer(await local.key('unibo.it', ['catalogue:write']))
  const created = (await local.app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/LOCAL', headers: key, payload: exportableOffer() })).json()
  const document = (await local.app.inject({ method: 'GET', url: `/v1/offers/${created.id}/elm`, headers: { host: 'localhost:3000' } })).json()
  t.equal(document.id, `http://localhost:3000/v1/offers/${created.id}`)
  t.equal(document['@context'].LearningOpportunity, 'http://data.europa.eu/snb/model/ontology/LearningOpportunity', 'ELM_VERSION=3.3 names the 3.3 classes')
})
