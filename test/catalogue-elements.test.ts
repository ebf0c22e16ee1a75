import { eq } from 'drizzle-orm'
import t from 'tap'
import { offerVersions, offers } from '../src/db/schema.js'
import { contentHash, withDefaults } from '../src/modules/catalogue/content.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { generateOpenApiDocument } from '../src/openapi-document.js'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

/** The elements the EU standards need (issue 14, point 2): optional, documented, and harmless to stored offers. */

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
await ctx.institution('unibo.it', 'IT')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const document = JSON.parse(await generateOpenApiDocument())
const put = (externalId: string, payload: object) =>
  app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: bologna, payload })

const requestBodies = Object.entries<Record<string, any>>(document.paths)
  .filter(([path]) => path.includes('/offers') || path.includes('/awarding'))
  .flatMap(([path, item]) => Object.entries<any>(item).filter(([, operation]) => operation.requestBody).map(([method, operation]) => ({ name: `${method} ${path}`, operation })))

const schemaOf = (operation: any) => {
  const schema = operation.requestBody.content['application/json'].schema
  return schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()] : schema
}

t.test('every request body of the catalogue has an example, and the API accepts each', async (t) => {
  t.ok(requestBodies.length >= 3, requestBodies.map((body) => body.name).join(', '))
  for (const { name, operation } of requestBodies) t.ok(schemaOf(operation).examples?.length > 0, `${name} has an example`)

  const [offerExample] = document.components.schemas.OfferInput.examples
  const created = await put('EXAMPLE', offerExample)
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), {
    status: 'published',
    compliance: { complete: true, violations: [] },
    learningSetting: 'non_formal',
    nqfLevels: ['http://data.europa.eu/snb/qdr/c_0fe2b814'],
    issuerRegions: ['ITH55'],
    assessments: [{ type: 'project', mode: 'online' }],
    qualityAssurance: { level: 'institutional', validUntil: '2029-12-31' },
    homepage: 'https://www.unibo.it/en',
    exportReadiness: { elm: { ready: true, missing: [] }, ob3: { ready: true, missing: [] } },
  })
  const version = await app.inject({ method: 'GET', url: `/v1/offers/${created.json().id}/versions/1` })
  t.match(version.json(), { version: 1, exportReadiness: { elm: { ready: true } } }, 'each version says so too')
  const [syncExample] = document.components.schemas.SyncRequest.examples
  const synced = await app.inject({ method: 'POST', url: '/v1/institutions/unibo.it/offers/sync?dryRun=true', headers: bologna, payload: syncExample })
  t.equal(synced.statusCode, 200, synced.body)
  t.same(document.components.schemas.AwardingAnswerInput.examples, [{ status: 'confirmed' }])
})

t.test('the new elements are refused when wrong, with a code naming the field', async (t) => {
  const wrong = await put('WRONG', completeOffer({
    nqfLevels: ['http://data.europa.eu/snb/qdr/c_00000000'],
    issuerRegions: ['DE30'],
    qualityAssurance: { type: 'internal', level: 'programme' },
  }))
  t.equal(wrong.statusCode, 422)
  t.same(wrong.json().errors.map((e: { pointer: string; code: string }) => `${e.pointer} ${e.code}`), [
    '/nqfLevels/0 NQF_LEVEL_UNKNOWN',
    '/issuerRegions/0 REGION_OUTSIDE_ISSUER_COUNTRIES',
    '/qualityAssurance/level QA_INTERNAL_ACCREDITATION',
  ])
  const badEnum = await put('WRONG', completeOffer({ learningSetting: 'informal', assessments: [{ type: 'quiz', mode: 'by_post' }] }))
  t.equal(badEnum.statusCode, 400)
})

t.test('an offer stored before the new elements existed reads as before, and re-sends unchanged', async (t) => {
  const created = (await put('OLDER', completeOffer())).json()
  const older = withDefaults(completeOffer() as OfferContent, { schac: 'unibo.it', country: 'IT' })
  t.notOk('nqfLevels' in older || 'learningSetting' in older || 'issuerRegions' in older)
  const [row] = await db.select({ hash: offers.contentHash }).from(offers).where(eq(offers.id, created.id))
  t.equal(row!.hash, contentHash(older), 'the content hash of an offer without the new elements is what it was')
  const read = await app.inject({ method: 'GET', url: `/v1/offers/${created.id}` })
  t.equal(read.statusCode, 200)
  t.notOk('nqfLevels' in read.json(), 'an element not stated is not shown')
  t.same(read.json().exportReadiness.elm.missing.map((m: { field: string }) => m.field), ['/homepage', '/nqfLevels', '/qualityAssurance/level', '/qualityAssurance/agency/country'], 'what to add before exporting')
  const again = await put('OLDER', completeOffer())
  t.equal(again.json().version, 1)
  t.equal(again.json().updatedAt, created.updatedAt)
  t.equal((await db.select().from(offerVersions).where(eq(offerVersions.offerId, created.id))).length, 1)
})
