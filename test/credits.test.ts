import t from 'tap'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['recognition:write', 'recognition:read']))

const put = (externalId: string, payload: object) =>
  app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: bologna, payload })
const get = (url: string) => app.inject({ method: 'GET', url })
const pointers = (body: { errors: Array<{ pointer: string; code?: string }> }) => body.errors.map((e) => `${e.pointer}${e.code ? ` ${e.code}` : ''}`)

t.test('credits and hours: two decimals written out, and a documented minimum', async (t) => {
  const tiny = await put('SMALL-1', completeOffer({ ects: 1e-9, workloadHours: 2.5e-8 }))
  t.equal(tiny.statusCode, 422, 'a billionth of a credit is no workload')
  t.equal(tiny.json().code, 'INVALID_OFFER')
  t.same(pointers(tiny.json()), ['/ects CREDITS_PRECISION', '/ects CREDITS_MINIMUM', '/workloadHours HOURS_PRECISION', '/workloadHours HOURS_MINIMUM'])

  const below = await put('SMALL-2', completeOffer({ ects: 0.05, workloadHours: undefined }))
  t.same(pointers(below.json()), ['/ects CREDITS_MINIMUM'])
  const hours = await put('SMALL-3', completeOffer({ ects: undefined, workloadHours: 0.5, status: 'draft' }))
  t.same(pointers(hours.json()), ['/workloadHours HOURS_MINIMUM'])
  const third = await put('SMALL-4', completeOffer({ workloadHours: 80.125 }))
  t.same(pointers(third.json()), ['/workloadHours HOURS_PRECISION'])

  const smallest = await put('SMALL-5', completeOffer({ ects: 0.1, workloadHours: 2.5 }))
  t.equal(smallest.statusCode, 201, 'a tenth of a credit in two and a half hours is fine')

  const search = await get('/v1/offers?ectsMax=0')
  t.same(search.json().items, [], 'nothing is listed as worth no credit')

  const offerId = smallest.json().id
  const decision = (payload: object) =>
    app.inject({ method: 'POST', url: '/v1/recognitions', headers: leuven, payload: { offerId, scope: 'ex_ante', purpose: 'credit_transfer', ...payload } })
  const tinyCredits = await decision({ outcome: 'full', creditsRecognised: 1e-9 })
  t.equal(tinyCredits.statusCode, 422)
  t.match(pointers(tinyCredits.json()), ['/creditsRecognised CREDITS_PRECISION', '/creditsRecognised CREDITS_MINIMUM'])
  const components = await decision({
    outcome: 'full',
    creditsRecognised: 0.1,
    recognisedAs: [{ code: 'X1', title: 'Elective', credits: 0.001 }],
  })
  t.equal(components.statusCode, 422)
  t.ok(pointers(components.json()).includes('/recognisedAs/0/credits CREDITS_PRECISION'))
})
