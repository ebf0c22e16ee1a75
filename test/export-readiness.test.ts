import t from 'tap'
import { withDefaults } from '../src/modules/catalogue/content.js'
import { checkExportReadiness } from '../src/modules/catalogue/readiness.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { completeOffer } from './helpers/offers.js'

const context = { schac: 'unibo.it', country: 'IT' }
/** Complete for Annex I, and with what an ELM export needs besides. */
const exportable = (overrides: Record<string, unknown> = {}) =>
  withDefaults(
    completeOffer({
      homepage: 'https://www.unibo.it/en',
      nqfLevels: ['http://data.europa.eu/snb/qdr/c_0fe2b814'],
      qualityAssurance: { type: 'external', agency: { name: 'ANVUR', country: 'IT' }, level: 'institutional' },
      ...overrides,
    }) as OfferContent,
    context,
  )
const missing = (content: OfferContent) => {
  const readiness = checkExportReadiness(content)
  return { elm: readiness.elm.missing.map((m) => m.field), ob3: readiness.ob3.missing.map((m) => m.field) }
}

t.test('an offer with every element is ready for both targets', async (t) => {
  t.same(checkExportReadiness(exportable()), { elm: { ready: true, missing: [] }, ob3: { ready: true, missing: [] } })
})

t.test('an offer complete for Annex I still lacks what ELM requires: homepage, NQF level, accreditation type', async (t) => {
  const annexOnly = withDefaults(completeOffer() as OfferContent, context)
  t.same(missing(annexOnly), { elm: ['/homepage', '/nqfLevels', '/qualityAssurance/level', '/qualityAssurance/agency/country'], ob3: [] })
  t.equal(checkExportReadiness(annexOnly).elm.ready, false)
  t.equal(checkExportReadiness(annexOnly).ob3.ready, true, 'learning outcomes are the criteria narrative')
})

t.test('each element ELM requires is reported by its field, once', async (t) => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['/title', { title: { en: '  ' } }],
    ['/homepage', { homepage: undefined }],
    ['/languages', { languages: [] }],
    ['/learningOutcomes', { learningOutcomes: [] }],
    ['/iscedFields', { iscedFields: undefined }],
    ['/eqfLevel', { eqfLevel: 'not_applicable' }],
    ['/eqfLevel', { eqfLevel: undefined }],
    ['/nqfLevels', { nqfLevels: [] }],
    ['/qualityAssurance/level', { qualityAssurance: { type: 'external', agency: { name: 'ANVUR', country: 'IT' } } }],
    ['/qualityAssurance/agency/country', { qualityAssurance: { type: 'external', agency: { name: 'ANVUR' }, level: 'programme' } }],
  ]
  for (const [field, overrides] of cases) t.same(missing(exportable(overrides)).elm, [field], `${field}: ${JSON.stringify(overrides)}`)
  t.same(missing(exportable({ qualityAssurance: { type: 'internal' } })).elm, [], 'internal QA exports no accreditation, so needs no type')
  t.same(missing(exportable({ qualityAssurance: undefined })).elm, [], 'nor does an offer without QA')
})

t.test('OB3: name, description, and criteria (a homepage or a learning outcome)', async (t) => {
  t.same(missing(exportable({ title: undefined })).ob3, ['/title'])
  t.same(missing(exportable({ description: { en: '' } })).ob3, ['/description'])
  t.same(missing(exportable({ learningOutcomes: [] })).ob3, [], 'the homepage is the criteria')
  t.same(missing(exportable({ homepage: undefined })).ob3, [], 'the outcomes are the criteria')
  t.same(missing(exportable({ homepage: undefined, learningOutcomes: undefined })).ob3, ['/homepage'])
})

t.test('a stored code outside the EU lists blocks both exports: it could not be named', async (t) => {
  const readiness = checkExportReadiness(exportable({ iscedFields: ['0420'], languages: ['sh'] }))
  t.same(readiness.elm.missing.map((m) => m.field), ['/iscedFields/0', '/languages/0'])
  t.same(readiness.ob3.missing.map((m) => m.field), ['/iscedFields/0', '/languages/0'])
  t.match(readiness.elm.missing[0]!.detail, /0420 is not an ISCED-F 2013 field: an export cannot name it/)
})
