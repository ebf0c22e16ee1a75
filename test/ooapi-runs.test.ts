import t from 'tap'
import { seedDemo } from '../src/demo/seed.js'
import { bearer, startTestApp } from './helpers/app.js'
import { ooapiSchemas } from './helpers/ooapi.js'

/**
 * The OOAPI view as the service wires it: the catalogue's own runs (the demo's) as course
 * offerings, each valid against the official OOAPI v5 schemas, the same ones and in the same
 * order as `GET /v1/offers/{id}/runs`; a draft's runs are not offerings.
 */
const ctx = await startTestApp(t)
const { app, database } = ctx
await seedDemo(database.handle.db)
const ooapi = ooapiSchemas()
const get = async (url: string) => app.inject({ method: 'GET', url })

const offers = (await get('/v1/offers?limit=100')).json().items as Array<{ id: string }>

t.test('the runs of every published demo offer are its OOAPI offerings, by start date', async (t) => {
  let offerings = 0
  for (const offer of offers) {
    const runs = (await get(`/v1/offers/${offer.id}/runs?limit=100`)).json().items as Array<{ id: string; runId: string }>
    const page = (await get(`/ooapi/v5/courses/${offer.id}/offerings?pageSize=250`)).json()
    t.same(ooapi.response('/courses/{courseId}/offerings', page), [], `${offer.id}: a valid OOAPI page`)
    t.same(page.items.map((item: { offeringId: string }) => item.offeringId), runs.map((run) => run.id), `${offer.id}: every run, by start date`)
    for (const run of runs) {
      const offering = await get(`/ooapi/v5/offerings/${run.id}`)
      t.equal(offering.statusCode, 200)
      t.same(ooapi.schema('CourseOffering', offering.json()), [], `${run.runId}: a valid course offering`)
      t.equal(offering.json().primaryCode.code, run.runId)
      offerings++
    }
  }
  t.ok(offerings >= 8, `${offerings} offerings`)
})

t.test('the runs of a draft are no offerings', async (t) => {
  const owner = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const put = await app.inject({
    method: 'PUT',
    url: '/v1/institutions/unibo.it/offers/OOAPI-DRAFT-1',
    headers: owner,
    payload: { status: 'draft', title: { en: 'A draft with a run' }, participation: ['online'] },
  })
  t.equal(put.statusCode, 201, put.body)
  const run = await app.inject({
    method: 'PUT',
    url: '/v1/institutions/unibo.it/offers/OOAPI-DRAFT-1/runs/R1',
    headers: owner,
    payload: { startDate: '2027-02-01', endDate: '2027-03-01', language: 'en', mode: 'online' },
  })
  t.equal(run.statusCode, 201, run.body)
  t.equal((await get(`/ooapi/v5/offerings/${run.json().id}`)).statusCode, 404)
  const offerings = await get(`/ooapi/v5/courses/${put.json().id}/offerings`)
  t.equal(offerings.statusCode, 404, 'a draft is no course')
})
