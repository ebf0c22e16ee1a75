import t, { type Test } from 'tap'
import { offers } from '../src/db/schema.js'
import { seedDemo } from '../src/demo/seed.js'
import { DEMO_INSTITUTIONS } from '../src/demo/registry.js'
import { DEMO_OFFERS } from '../src/demo/offers.js'
import { createCatalogueService } from '../src/modules/catalogue/index.js'
import { ooapiCourse, ooapiOffering, type Run, type RunSource } from '../src/modules/ooapi/index.js'
import { createOoapiService } from '../src/modules/ooapi/service.js'
import { startTestApp } from './helpers/app.js'
import { ooapiSchemas } from './helpers/ooapi.js'

/** The OOAPI v5 view (/ooapi/v5): every response, for every demo offer, valid against the official OOAPI v5 schemas. */
const runs: Run[] = []
/** The test's own runs, in memory, behind the interface the catalogue's runs repository implements. */
const memoryRuns: RunSource = {
  async listForOffer(offerId, { offset, limit }) {
    return runs.filter((run) => run.offerId === offerId).sort((a, b) => a.startDate.localeCompare(b.startDate)).slice(offset, offset + limit)
  },
  async byId(id) {
    return runs.find((run) => run.id === id)
  },
}
const ctx = await startTestApp(t, { config: { ooapi: { publicBaseUrl: 'https://catalogue.example.eu', contactEmail: 'catalogue@example.eu' } }, ooapiRuns: () => memoryRuns })
const { app } = ctx
const db = ctx.database.handle.db
await seedDemo(db)
const ooapi = ooapiSchemas()
const get = (url: string) => app.inject({ method: 'GET', url: `/ooapi/v5${url}` })
const catalogue = createCatalogueService(db)
const stored = await db.select({ id: offers.id, status: offers.status, institution: offers.institutionSchac, content: offers.content }).from(offers)
const published = stored.filter((offer) => offer.status === 'published')
const draft = stored.find((offer) => offer.status === 'draft')!

// Two runs of every demo offer, the draft's included: one online with fees, one on site.
for (const [index, offer] of stored.entries()) {
  const language = offer.content.languages?.[0] ?? 'en'
  const hex = index.toString(16).padStart(2, '0')
  runs.push({
    id: `00000000-0000-4000-8000-0000000000${hex}`,
    offerId: offer.id,
    runId: '2027-spring',
    institution: offer.institution,
    startDate: '2027-02-01',
    endDate: '2027-05-31',
    application: { opens: '2026-11-01', closes: '2027-01-15' },
    places: { total: 40, available: 12 },
    language,
    mode: 'online',
    fees: [{ amount: 0, currency: 'EUR', appliesTo: 'alliance_students' }, { amount: 450.5, currency: 'EUR', appliesTo: 'others' }],
    enrolmentUrl: 'https://www.example.eu/apply/2027-spring',
    eligibility: { openTo: 'anyone', languageRequirements: [{ language: 'en', cefr: 'B2' }] },
    openForApplication: true,
    updatedAt: '2026-11-30T10:00:00.000Z',
  }, {
    id: `00000000-0000-4000-9000-0000000000${hex}`,
    offerId: offer.id,
    runId: '2027-autumn',
    institution: offer.institution,
    startDate: '2027-09-15',
    endDate: '2027-12-20',
    language,
    mode: 'onsite',
    location: { city: 'Bologna', campus: 'Navile', country: 'IT' },
    eligibility: { openTo: 'institutions', institutions: ['kuleuven.be'] },
    openForApplication: false,
    updatedAt: '2026-11-30T10:00:00.000Z',
  })
}

/** Every item of an OOAPI list, page by page, each page checked against the official schema of the path. */
async function walk(t: Test, url: string, path: string, pageSize = 10) {
  const items: Array<Record<string, any>> = []
  for (let pageNumber = 1; ; pageNumber++) {
    const response = await get(`${url}?pageSize=${pageSize}&pageNumber=${pageNumber}`)
    t.equal(response.statusCode, 200, `${url} page ${pageNumber}`)
    const page = response.json()
    t.same(ooapi.response(path, page), [], `${url} page ${pageNumber} is a valid OOAPI page`)
    t.equal(page.pageNumber, pageNumber)
    t.equal(page.hasPreviousPage, pageNumber > 1)
    items.push(...page.items)
    if (!page.hasNextPage) return items
  }
}

t.test('the service root', async (t) => {
  const response = await get('/')
  t.equal(response.statusCode, 200)
  t.same(ooapi.response('/', response.json()), [])
  t.same(response.json(), { contactEmail: 'catalogue@example.eu', specification: 'https://catalogue.example.eu/openapi.json', documentation: 'https://catalogue.example.eu/docs' })
})

t.test('organizations: every institution, each valid and found by its UUID', async (t) => {
  const organizations = await walk(t, '/organizations', '/organizations', 10)
  t.equal(organizations.length, DEMO_INSTITUTIONS.length)
  t.same(organizations.map((organization) => organization.primaryCode.code), DEMO_INSTITUTIONS.map((institution) => institution.schac).sort())
  for (const organization of organizations) {
    const response = await get(`/organizations/${organization.organizationId}`)
    t.equal(response.statusCode, 200)
    t.same(ooapi.response('/organizations/{organizationId}', response.json()), [], organization.primaryCode.code)
    t.same(response.json(), organization, 'the same organization as in the list')
  }
  const unibo = organizations.find((organization) => organization.primaryCode.code === 'unibo.it')!
  t.equal(unibo.organizationId, 'c389c26c-a07e-59e3-b8a5-58ad1d1d17fa', 'UUID v5 of the SCHAC code in the DNS namespace')
  t.same(unibo.ext, { alliances: ['una-europa'] })
  t.equal((await get('/organizations/00000000-0000-5000-8000-000000000000')).statusCode, 404)
  t.equal((await get('/organizations/unibo.it')).statusCode, 400)
})

t.test('courses: every published demo offer, never the draft, each valid and unchanged by serialisation', async (t) => {
  t.equal(published.length, DEMO_OFFERS.filter((demo) => demo.offer.status !== 'draft').length)
  const courses = await walk(t, '/courses', '/courses', 10)
  t.same(courses.map((course) => course.courseId).sort(), published.map((offer) => offer.id).sort())
  t.notOk(courses.some((course) => course.courseId === draft.id), 'no draft')
  for (const course of courses) {
    const response = await get(`/courses/${course.courseId}`)
    t.equal(response.statusCode, 200)
    t.same(ooapi.response('/courses/{courseId}', response.json()), [], course.abbreviation)
    const expected = ooapiCourse((await catalogue.findPublished(course.courseId))!)
    t.strictSame(response.json(), JSON.parse(JSON.stringify(expected)), 'the response is the mapper\'s course, field for field')
    t.same(course, response.json(), 'the same course as in the list')
  }
  const dataLiteracy = courses.find((course) => course.abbreviation === 'MC-DATA-LIT-2027')!
  t.match(dataLiteracy, { teachingLanguage: 'eng', level: 'master', studyLoad: { studyLoadUnit: 'ects', value: Number }, ext: { institution: 'unibo.it', externalId: 'MC-DATA-LIT-2027' } })
  t.equal((await get(`/courses/${draft.id}`)).statusCode, 404, 'a draft is not a course')
  t.equal((await get(`/courses/${draft.id}/offerings`)).statusCode, 404)
  t.equal((await get('/courses/not-a-uuid')).statusCode, 400)
})

t.test('offerings: the runs of every published offer, each valid', async (t) => {
  for (const offer of published) {
    const offerings = await walk(t, `/courses/${offer.id}/offerings`, '/courses/{courseId}/offerings', 10)
    t.same(offerings.map((offering) => offering.primaryCode.code), ['2027-spring', '2027-autumn'], 'by start date')
    for (const offering of offerings) {
      const response = await get(`/offerings/${offering.offeringId}`)
      t.equal(response.statusCode, 200)
      t.same(ooapi.schema('CourseOffering', response.json()), [], `${offer.id} ${offering.primaryCode.code}`)
      const run = runs.find((candidate) => candidate.id === offering.offeringId)!
      t.strictSame(response.json(), JSON.parse(JSON.stringify(ooapiOffering(run, (await catalogue.findPublished(offer.id))!))))
      t.same(offering, response.json())
    }
    const [online, onsite] = offerings
    t.match(online, { modeOfDelivery: ['online'], maxNumberStudents: 40, enrollStartDate: '2026-11-01', priceInformation: [{ amount: '0' }, { amount: '450.5', ext: { appliesTo: 'others' } }], ext: { placesAvailable: 12, openForApplication: true } })
    t.notOk('addresses' in online!)
    t.match(onsite, { modeOfDelivery: ['on campus'], addresses: [{ addressType: 'teaching', city: 'Bologna', countryCode: 'IT' }], ext: { campus: 'Navile', eligibility: { openTo: 'institutions' } } })
  }
  const ofDraft = runs.find((run) => run.offerId === draft.id)!
  t.equal((await get(`/offerings/${ofDraft.id}`)).statusCode, 404, 'a run of a draft is not an offering')
  t.equal((await get('/offerings/00000000-0000-4000-8000-ffffffffffff')).statusCode, 404)
})

t.test('OOAPI v5 types /offerings/{id} as oneOf three offering kinds, which no course offering can satisfy', async (t) => {
  // ProgramOffering asks nothing a CourseOffering lacks (the same required dates; a price list,
  // when present, of at least one), so every valid CourseOffering is a ProgramOffering too and
  // the oneOf refuses it. The view's offerings are therefore checked as CourseOffering (above).
  for (const run of runs.filter((candidate) => candidate.offerId === published[0]!.id)) {
    const offering = (await get(`/offerings/${run.id}`)).json()
    t.same(ooapi.schema('CourseOffering', offering), [])
    t.same(ooapi.schema('ProgramOffering', offering), [], 'also a ProgramOffering')
    t.match(ooapi.response('/offerings/{offeringId}', offering).at(-1), /must match exactly one schema in oneOf \{"passingSchemas":\[0,2\]\}/, run.runId)
  }
})

t.test('paging: OOAPI page sizes and numbers', async (t) => {
  const first = (await get('/courses?pageSize=10')).json()
  t.equal(first.pageSize, 10)
  t.equal(first.pageNumber, 1)
  t.equal(first.hasNextPage, false, `${published.length} courses fit on one page`)
  const beyond = (await get('/courses?pageNumber=5')).json()
  t.same(beyond.items, [])
  t.equal(beyond.hasPreviousPage, true)
  t.equal(beyond.hasNextPage, false)
  const defaults = (await get('/organizations')).json()
  t.equal(defaults.pageSize, 10)
  t.equal(defaults.hasNextPage, DEMO_INSTITUTIONS.length > 10)
  for (const query of ['pageSize=7', 'pageNumber=0', 'pageNumber=10001', 'sort=name']) {
    const response = await get(`/courses?${query}`)
    t.equal(response.statusCode, 400, query)
    t.equal(response.json().code, 'VALIDATION_FAILED')
  }
})

t.test('the service root names postmaster@ the host without OOAPI_CONTACT_EMAIL', async (t) => {
  const bare = await startTestApp(t)
  const response = await bare.app.inject({ method: 'GET', url: '/ooapi/v5/', headers: { host: 'catalogue.example.org' } })
  t.same(response.json(), { contactEmail: 'postmaster@catalogue.example.org', specification: 'http://catalogue.example.org/openapi.json', documentation: 'http://catalogue.example.org/docs' })
  t.same(ooapi.response('/', response.json()), [])
  for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']) {
    const local = await bare.app.inject({ method: 'GET', url: '/ooapi/v5/', headers: { host } })
    t.equal(local.json().contactEmail, 'postmaster@passerelle.localhost', host)
    t.same(ooapi.response('/', local.json()), [], `${host}: still a valid OOAPI service root`)
  }
})

t.test('without a run source, courses have no offerings and no offering is found', async (t) => {
  const service = createOoapiService(db, undefined)
  t.same(await service.offeringsOfCourse(published[0]!.id, { pageSize: 10, pageNumber: 1 }), { pageSize: 10, pageNumber: 1, hasPreviousPage: false, hasNextPage: false, items: [] })
  await t.rejects(service.offering(runs[0]!.id), { message: `No offering ${runs[0]!.id}` })
})

t.test('organizations are found by UUID past the first pages of the registry', async (t) => {
  const service = createOoapiService(db, undefined)
  for (let i = 0; i < 260; i++) await ctx.institution(`a${String(i).padStart(3, '0')}.example.org`)
  const last = await service.organization((await get('/organizations?pageSize=250&pageNumber=2')).json().items.at(-1).organizationId)
  t.equal((last.primaryCode as { code: string }).code, DEMO_INSTITUTIONS.map((institution) => institution.schac).sort().at(-1))
})
