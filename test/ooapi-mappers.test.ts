import t from 'tap'
import { DNS_NAMESPACE, uuidV5 } from '../src/lib/uuid.js'
import { modesOfDelivery, ooapiCourse, ooapiLanguage, ooapiLevel, ooapiOffering, ooapiOrganization, ooapiPage, teachingLanguage, typedStrings } from '../src/modules/ooapi/mappers.js'
import { iso6391Of, iso6392Of } from '../src/vocabularies/index.js'
import { ooapiSchemas } from './helpers/ooapi.js'

const ooapi = ooapiSchemas()
const offer = { id: '11111111-1111-4111-8111-111111111111', institution: 'unibo.it', externalId: 'MC-1', content: { title: { en: 'Title' } }, updatedAt: new Date('2026-11-30T10:00:00Z') }

t.test('UUID v5 (RFC 9562): the DNS namespace test vector', async (t) => {
  t.equal(uuidV5(DNS_NAMESPACE, 'www.example.com'), '2ed6657d-e927-568b-95e1-2665a8aea6a2')
})

t.test('languages: ISO 639-2 through the EU table, both ways', async (t) => {
  t.equal(iso6392Of('en-GB'), 'eng')
  t.equal(iso6392Of('DE'), 'deu')
  t.equal(iso6392Of('sh'), undefined)
  t.equal(iso6391Of('ger'), 'de', 'bibliographic')
  t.equal(iso6391Of('DEU'), 'de', 'terminology')
  t.equal(iso6391Of('zzz'), undefined)
  t.equal(teachingLanguage('it'), 'ita')
  t.equal(teachingLanguage(undefined), 'und')
  t.equal(teachingLanguage('sh'), 'und')
})

t.test('language tags as OOAPI writes them', async (t) => {
  t.equal(ooapiLanguage('en'), 'en')
  t.equal(ooapiLanguage('pt-br'), 'pt-BR')
  t.equal(ooapiLanguage('sr-latn-rs'), 'sr-Latn-RS')
  t.equal(ooapiLanguage('es-419'), 'es-419')
  t.equal(ooapiLanguage('de-CH-1996'), 'de', 'a variant OOAPI cannot write: the primary subtag')
  t.same(typedStrings({ en: 'a', 'pt-br': 'b' }), [{ language: 'en', value: 'a' }, { language: 'pt-BR', value: 'b' }])
})

t.test('levels and modes of delivery', async (t) => {
  t.equal(ooapiLevel({ qfEheaCycle: 'short', eqfLevel: 5 }), 'associate degree')
  t.equal(ooapiLevel({ eqfLevel: 8 }), 'doctoral')
  t.equal(ooapiLevel({ eqfLevel: 4 }), 'undefined')
  t.equal(ooapiLevel({ eqfLevel: 'not_applicable' }), 'undefined')
  t.equal(ooapiLevel({}), 'undefined')
  t.same(modesOfDelivery(['online', 'onsite', 'blended', 'work_based', 'project_based']), ['online', 'on campus', 'hybrid', 'situated'])
  t.same(modesOfDelivery(undefined), [])
})

t.test('an organization without website or codes', async (t) => {
  const organization = ooapiOrganization({ schac: 'x.example.org', name: { en: 'X' }, country: 'BE', website: null, erasmusCode: null, deqarId: null, alliances: [] })
  t.same(ooapi.schema('Organization', organization), [])
  t.notOk('link' in organization)
  t.notOk('otherCodes' in organization)
  const coded = ooapiOrganization({ schac: 'y.example.org', name: { en: 'Y' }, country: 'BE', website: 'https://y.example.org', erasmusCode: 'B Y01', deqarId: 'DEQARINST0001', alliances: ['a'] })
  t.same(coded.otherCodes, [{ codeType: 'x-erasmus', code: 'B Y01' }, { codeType: 'x-deqar', code: 'DEQARINST0001' }])
  t.same(ooapi.schema('Organization', coded), [])
})

t.test('a course from an offer that states little: still a valid OOAPI course', async (t) => {
  const course = ooapiCourse(offer)
  t.same(ooapi.schema('Course', course), [])
  t.same(course.description, [{ language: 'en', value: 'Title' }], 'the title describes an offer without a description')
  t.same(course.ext, { institution: 'unibo.it', externalId: 'MC-1', updatedAt: '2026-11-30T10:00:00.000Z' })
  for (const field of ['studyLoad', 'modeOfDelivery', 'fieldsOfStudy', 'learningOutcomes', 'admissionRequirements', 'assessment', 'firstStartDate', 'link']) t.notOk(field in course, field)
  const untitled = ooapiCourse({ ...offer, content: {} })
  t.same(untitled.name, [{ language: 'en', value: 'MC-1' }])
  const full = ooapiCourse({
    ...offer,
    content: {
      title: { en: 'T' },
      prerequisites: { en: 'A bachelor' },
      assessments: [{ type: 'project', description: { en: 'A project' } }, { type: 'exam' as never }],
      startDate: '2027-02-01',
      participation: ['project_based'],
      iscedFields: ['0613', '0542'],
    },
  })
  t.same(ooapi.schema('Course', full), [])
  t.same(full.admissionRequirements, [{ language: 'en', value: 'A bachelor' }])
  t.same(full.assessment, [{ language: 'en', value: 'A project' }])
  t.equal(full.fieldsOfStudy, '0613')
  t.notOk('modeOfDelivery' in full, 'project-based learning has no OOAPI mode')
  t.match(full.ext, { iscedFields: ['0613', '0542'], participation: ['project_based'] })
})

t.test('an offering from a run that states little', async (t) => {
  const run = { id: '22222222-2222-4222-8222-222222222222', offerId: offer.id, runId: 'r1', institution: 'unibo.it', startDate: '2027-01-01', endDate: '2027-02-01', language: 'en', mode: 'research_lab' as const, eligibility: { openTo: 'anyone' as const }, openForApplication: false, updatedAt: '2026-11-30T10:00:00.000Z' }
  const offering = ooapiOffering(run, { ...offer, content: {} })
  t.same(ooapi.schema('CourseOffering', offering), [])
  for (const field of ['modeOfDelivery', 'maxNumberStudents', 'link', 'enrollStartDate', 'addresses', 'priceInformation']) t.notOk(field in offering, field)
  t.same(offering.ext, { runId: 'r1', institution: 'unibo.it', mode: 'research_lab', openForApplication: false, eligibility: { openTo: 'anyone' }, updatedAt: '2026-11-30T10:00:00.000Z' })
  const priced = ooapiOffering({ ...run, fees: [], places: { total: 5 }, location: { city: 'Leuven', country: 'BE' } }, offer)
  t.notOk('priceInformation' in priced, 'no fees stated, no price list')
  t.same(priced.addresses, [{ addressType: 'teaching', city: 'Leuven', countryCode: 'BE' }])
  t.same(ooapi.schema('CourseOffering', ooapiOffering({ ...run, fees: [{ amount: 12.345, currency: 'EUR', appliesTo: 'everyone' }] }, offer)), [])
  t.equal((ooapiOffering({ ...run, fees: [{ amount: 12.345, currency: 'EUR', appliesTo: 'everyone' }] }, offer).priceInformation as Array<{ amount: string }>)[0]!.amount, '12.35')
})

t.test('pages', async (t) => {
  t.same(ooapiPage([1, 2, 3], 2, 1), { pageSize: 2, pageNumber: 1, hasPreviousPage: false, hasNextPage: true, items: [1, 2] })
  t.same(ooapiPage([3], 2, 2), { pageSize: 2, pageNumber: 2, hasPreviousPage: true, hasNextPage: false, items: [3] })
})
