import t from 'tap'
import { seedDemo } from '../src/demo/seed.js'
import { bearer, startTestApp } from './helpers/app.js'
import { exportableOffer } from './helpers/offers.js'
import { requires } from './helpers/requires.js'
import { validateElm } from './helpers/shacl.js'
import { validateLoqXml } from './helpers/xsd.js'

/** GET /v1/institutions/{schac}/exports/{format} and /v1/alliances/{slug}/exports/{format}: the whole published catalogue, streamed. */
const BASE = 'https://catalogue.example.eu'
const ELM = 'http://data.europa.eu/snb/model/elm/'
const ctx = await startTestApp(t, { config: { exports: { publicBaseUrl: BASE, elmVersion: '3.1' } } })
const { app } = ctx
await seedDemo(ctx.database.handle.db)
const get = (url: string) => app.inject({ method: 'GET', url })
const providers = (nodes: Array<{ providedBy: Array<{ id: string }> }>) => nodes.map((node) => node.providedBy[0]!.id.split('/').pop()).sort()

t.test('an alliance\'s catalogue as one ELM dataset that conforms to the LOQ shapes', async (t) => {
  const response = await get('/v1/alliances/una-europa/exports/elm')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/ld\+json/)
  t.equal(response.headers['passerelle-omitted'], '0')
  t.equal(response.headers['transfer-encoding'], 'chunked', 'streamed, not buffered: no content-length')
  t.equal(response.headers['content-length'], undefined)
  const dataset = response.json()
  // Una Europa's published demo offers: Bologna's two, Helsinki's one, KU Leuven's one (its draft is not published).
  t.same(providers(dataset['@graph']), ['helsinki.fi', 'kuleuven.be', 'unibo.it', 'unibo.it'])
  const result = await validateElm(dataset)
  t.ok(result.conforms, result.violations.join('\n'))
  t.equal(result.targeted[`${ELM}LearningOpportunity`], 4, 'the shapes checked every learning opportunity of the dataset')
})

t.test('an institution\'s offers not ready for ELM are left out and counted; OB3 takes them', async (t) => {
  const elm = await get('/v1/institutions/ulb.be/exports/elm')
  t.equal(elm.statusCode, 200)
  t.equal(elm.headers['passerelle-omitted'], '1')
  t.same(elm.json()['@graph'], [])
  const ob3 = await get('/v1/institutions/ulb.be/exports/ob3')
  t.equal(ob3.statusCode, 200)
  t.match(ob3.headers['content-type'], /^application\/ld\+json/)
  t.equal(ob3.headers['passerelle-omitted'], '0')
  t.match(ob3.json(), [{ type: ['Achievement'], achievementType: 'MicroCredential', creator: { id: `${BASE}/v1/institutions/ulb.be` } }])
  t.equal(ob3.json().length, 1)
  const alliance = await get('/v1/alliances/una-europa/exports/ob3')
  t.equal(alliance.json().length, 2)
  t.equal(alliance.headers['passerelle-omitted'], '2', 'Una Europa\'s four published offers: two ready for OB3, two not')
})

t.test('an institution\'s and an alliance\'s catalogue as LOQ XML that validates against loq.xsd', async (t) => {
  if (!(await requires(t, 'xmllint'))) return
  const una = await get('/v1/alliances/una-europa/exports/loq-xml')
  t.equal(una.statusCode, 200)
  t.match(una.headers['content-type'], /^application\/xml/)
  const result = validateLoqXml(una.body)
  t.ok(result.valid, result.errors)
  t.equal(result.learningOpportunities, 4, 'every published, ready offer of the alliance')
  const bologna = await get('/v1/institutions/unibo.it/exports/loq-xml')
  const own = validateLoqXml(bologna.body)
  t.ok(own.valid, own.errors)
  t.equal(bologna.headers['passerelle-omitted'], '0')
  t.equal(own.learningOpportunities, (await get('/v1/institutions/unibo.it/exports/elm')).json()['@graph'].length, 'as many as the ELM dataset')
  const ulb = await get('/v1/institutions/ulb.be/exports/loq-xml')
  t.equal(ulb.headers['passerelle-omitted'], '1')
  t.equal(validateLoqXml(ulb.body).learningOpportunities, 0)
})

t.test('drafts never appear, even when ready', async (t) => {
  await ctx.institution('draft.example', 'IT')
  const key = bearer(await ctx.key('draft.example', ['catalogue:write']))
  const put = (externalId: string, payload: object) => app.inject({ method: 'PUT', url: `/v1/institutions/draft.example/offers/${externalId}`, headers: key, payload })
  t.equal((await put('DRAFT', exportableOffer({ status: 'draft' }))).statusCode, 201)
  const published = (await put('LIVE', exportableOffer({ title: { en: 'Published' } }))).json()
  for (const format of ['elm', 'ob3']) {
    const body = (await get(`/v1/institutions/draft.example/exports/${format}`)).json()
    const ids = (format === 'elm' ? body['@graph'] : body).map((node: { id: string }) => node.id)
    t.same(ids, [`${BASE}/v1/offers/${published.id}`], format)
  }
  t.test('nor in LOQ XML', async (t) => {
    if (!(await requires(t, 'xmllint'))) return
    const xml = (await get('/v1/institutions/draft.example/exports/loq-xml')).body
    t.equal(validateLoqXml(xml).learningOpportunities, 1)
  })
})

t.test('an unknown institution or alliance, or format, is a problem', async (t) => {
  for (const url of ['/v1/alliances/no-such-alliance/exports/elm', '/v1/institutions/nowhere.example/exports/loq-xml']) {
    const response = await get(url)
    t.equal(response.statusCode, 404, url)
    t.equal(response.json().code, 'NOT_FOUND')
    t.match(response.headers['content-type'], /^application\/problem\+json/)
  }
  t.equal((await get('/v1/alliances/una-europa/exports/csv')).statusCode, 400)
})

t.test('a dataset answers GET only: a HEAD would read the whole catalogue to send nothing', async (t) => {
  const head = await app.inject({ method: 'HEAD', url: '/v1/alliances/una-europa/exports/elm' })
  t.not(head.statusCode, 200)
  t.equal(head.headers['passerelle-omitted'], undefined)
})
