import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { importCourse } from '../scripts/lib/ooapi-import.js'
import { importFromOoapi, readCourses, syncBodyOf, type SubmitResult } from '../scripts/lib/ooapi-sync.js'
import { bearer, startTestApp } from './helpers/app.js'
import { ooapiSchemas } from './helpers/ooapi.js'
import { runScript } from './helpers/process.js'

/** npm run sync -- --from-ooapi: a fixture university's OOAPI v5 endpoint, served by the test, imported into Passerelle. */
const ooapi = ooapiSchemas()
const COURSE_A = '6a1c3f52-8d0e-4b7a-9c21-0f4e5d6a7b01'
const COURSE_B = '6a1c3f52-8d0e-4b7a-9c21-0f4e5d6a7b02'
const ORGANIZATION = '0a6e5f9d-8c1b-4a2e-b3d4-5e6f7a8b9c0d'
const course = (id: string, code: string, extra: object) => ({
  courseId: id,
  primaryCode: { codeType: 'identifier', code },
  name: [{ language: 'en-GB', value: `Course ${code}` }, { language: 'nl-NL', value: `Cursus ${code}` }],
  abbreviation: code,
  description: [{ language: 'en-GB', value: `What ${code} is about.` }],
  teachingLanguage: 'eng',
  level: 'master',
  studyLoad: { studyLoadUnit: 'ects', value: 5 },
  modeOfDelivery: ['online', 'on campus'],
  fieldsOfStudy: '0613',
  learningOutcomes: [[{ language: 'en-GB', value: 'Design a relational database' }]],
  admissionRequirements: [{ language: 'en-GB', value: 'A bachelor in computer science' }],
  link: 'https://www.utwente.nl/en/education/courses/' + code,
  organization: ORGANIZATION,
  ...extra,
})
const offering = (id: string, code: string, extra: object) => ({
  offeringId: id,
  primaryCode: { codeType: 'offeringCode', code },
  offeringType: 'course',
  name: [{ language: 'en-GB', value: 'An offering' }],
  description: [{ language: 'en-GB', value: 'An offering.' }],
  teachingLanguage: 'dut',
  resultExpected: true,
  startDate: '2027-02-01',
  endDate: '2027-04-30',
  ...extra,
})
const page = (items: object[], pageNumber: number, hasNextPage: boolean) => ({ pageSize: 100, pageNumber, hasPreviousPage: pageNumber > 1, hasNextPage, items })
const FIXTURES: Record<string, object> = {
  '/courses?pageSize=100&pageNumber=1': page([course(COURSE_A, 'DB-201', { educationSpecification: { educationSpecificationId: ORGANIZATION, primaryCode: { codeType: 'identifier', code: 'ES-1' }, educationSpecificationType: 'course', name: [{ language: 'en', value: 'Databases' }], levelOfQualification: '7' } })], 1, true),
  '/courses?pageSize=100&pageNumber=2': page([course(COURSE_B, 'AI-301', { modeOfDelivery: ['online'], level: 'undefined', fieldsOfStudy: '1234', studyLoad: { studyLoadUnit: 'sbu', value: 28 } })], 2, false),
  [`/courses/${COURSE_A}/offerings?pageSize=100&pageNumber=1`]: page([
    offering('7b2d4e63-9e1f-4c8b-8d32-1a5f6e7b8c01', '2027-Q1', {
      modeOfDelivery: ['on campus'],
      maxNumberStudents: 30,
      enrollStartDate: '2026-11-01',
      enrollEndDate: '2027-01-15',
      addresses: [{ addressType: 'teaching', city: 'Enschede', countryCode: 'NL' }],
      priceInformation: [{ costType: 'total costs', amount: '450.00', currency: 'EUR' }],
      link: 'https://www.utwente.nl/apply/DB-201',
    }),
    offering('7b2d4e63-9e1f-4c8b-8d32-1a5f6e7b8c02', '2027-Q3', { modeOfDelivery: ['online'], startDate: '2027-09-01', endDate: '2027-11-30' }),
  ], 1, false),
  [`/courses/${COURSE_B}/offerings?pageSize=100&pageNumber=1`]: page([offering('7b2d4e63-9e1f-4c8b-8d32-1a5f6e7b8c03', '2027-AI', { modeOfDelivery: ['on campus'] })], 1, false),
}

/** The fixture endpoint; `override` may answer a path otherwise (a fault). */
async function ooapiServer(t: Test, override: (path: string, response: ServerResponse) => boolean = () => false) {
  const requests: string[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url!.replace(/^\/v5/, '')
    requests.push(`${request.method} ${path}`)
    if (override(path, response)) return
    const body = FIXTURES[path]
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { status: '404', title: 'Not found' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v5`, requests }
}

const ctx = await startTestApp(t)
await ctx.institution('utwente.nl', 'NL')
const authorization = bearer(await ctx.key('utwente.nl', ['catalogue:write'])).authorization
const submit = async (body: object, dryRun: boolean): Promise<SubmitResult> => {
  const response = await ctx.app.inject({ method: 'POST', url: `/v1/institutions/utwente.nl/offers/sync${dryRun ? '?dryRun=true' : ''}`, headers: { authorization }, payload: body })
  return { status: response.statusCode, body: response.json() }
}
/** The imported offers that exist (drafts, visible to their provider). */
const offersOf = async (app = ctx.app, key = authorization) => {
  const found: Array<{ externalId: string; status: string }> = []
  for (const externalId of ['AI-301', 'DB-201', 'none']) {
    const response = await app.inject({ method: 'GET', url: `/v1/institutions/utwente.nl/offers/${externalId}`, headers: { authorization: key } })
    if (response.statusCode === 200) found.push(response.json())
  }
  return found
}
const quick = { retries: 2, backoffMs: 1, timeoutMs: 500 }

t.test('the fixtures are valid OOAPI v5', async (t) => {
  for (const [path, body] of Object.entries(FIXTURES)) {
    const template = path.startsWith('/courses?') ? '/courses' : '/courses/{courseId}/offerings'
    t.same(ooapi.response(template, body), [], path)
  }
})

t.test('a dry run reports each course and writes nothing', async (t) => {
  const endpoint = await ooapiServer(t)
  const lines: string[] = []
  const code = await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick }, submit, dryRun: true, print: (line) => lines.push(line) })
  t.equal(code, 0, lines.join('\n'))
  const report = lines.join('\n')
  t.match(report, /read 2 courses and 3 offerings/)
  t.match(report, new RegExp(`course ${COURSE_A} → offer DB-201 \\(draft\\), 2 runs`))
  t.match(report, /not mapped: eqfLevel: OOAPI states it on the education specification/)
  t.match(report, /not mapped: fieldsOfStudy: "1234" is no ISCED-F field/)
  t.match(report, /not mapped: studyLoad: .*sbu/)
  t.match(report, /missing for Annex I: /)
  t.match(report, /dry run, nothing written: would have created 2, updated 0, unchanged 0, withdrawn 0; runs created 2, updated 0/)
  t.same(await offersOf(), [])
  t.ok(endpoint.requests.every((request) => request.startsWith('GET ')), 'the endpoint is only read')
})

t.test('an import: the dry run, then the same body for real', async (t) => {
  const endpoint = await ooapiServer(t)
  const lines: string[] = []
  t.equal(await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick }, submit, dryRun: false, print: (line) => lines.push(line) }), 0, lines.join('\n'))
  t.match(lines.join('\n'), /dry run, nothing written: would have created 2[\s\S]*done: created 2, updated 0/)
  t.same((await offersOf()).map((offer) => offer.externalId).sort(), ['AI-301', 'DB-201'])
  const again: string[] = []
  t.equal(await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick }, submit, dryRun: false, print: (line) => again.push(line) }), 0)
  t.match(again.join('\n'), /done: created 0, updated 0, unchanged 2/)
})

t.test('courses and offerings map onto offers and runs', async (t) => {
  const endpoint = await ooapiServer(t)
  const [databases, ai] = await readCourses({ baseUrl: endpoint.baseUrl, ...quick })
  t.match(databases!.offer, {
    externalId: 'DB-201',
    title: { 'en-gb': 'Course DB-201', 'nl-nl': 'Cursus DB-201' },
    ects: 5,
    eqfLevel: 7,
    qfEheaCycle: 'second',
    languages: ['en'],
    participation: ['online', 'onsite'],
    iscedFields: ['0613'],
    learningOutcomes: [{ text: { 'en-gb': 'Design a relational database' } }],
    prerequisites: { 'en-gb': 'A bachelor in computer science' },
    homepage: 'https://www.utwente.nl/en/education/courses/DB-201',
  })
  t.same(databases!.runs, [
    {
      runId: '2027-Q1',
      startDate: '2027-02-01',
      endDate: '2027-04-30',
      language: 'nl',
      mode: 'onsite',
      application: { opens: '2026-11-01', closes: '2027-01-15' },
      places: { total: 30 },
      location: { city: 'Enschede', country: 'NL' },
      fees: [{ amount: 450, currency: 'EUR', appliesTo: 'everyone' }],
      enrolmentUrl: 'https://www.utwente.nl/apply/DB-201',
    },
    { runId: '2027-Q3', startDate: '2027-09-01', endDate: '2027-11-30', language: 'nl', mode: 'online' },
  ])
  t.match(ai!.unmapped.join('\n'), /offerings\/0: left out, a onsite run without a city/)
  t.same(ai!.runs, [])
  t.same(syncBodyOf([databases!]).offers, [{ ...databases!.offer, runs: databases!.runs }], 'each offer with its runs')
})

t.test('a malformed page stops the import before anything is sent', async (t) => {
  const endpoint = await ooapiServer(t, (path, response) => {
    if (!path.startsWith('/courses?') || !path.endsWith('pageNumber=2')) return false
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"pageNumber": 2, "items": "none"}')
    return true
  })
  const lines: string[] = []
  let submitted = 0
  const code = await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick }, submit: async (...args) => { submitted++; return submit(...args) }, dryRun: false, print: (line) => lines.push(line) })
  t.equal(code, 1)
  t.match(lines.join('\n'), /nothing was sent: .*page 2 is not an OOAPI page/)
  t.equal(submitted, 0, 'nothing sent, so nothing written')
})

t.test('a server error mid-way is retried with backoff, then stops the import with nothing written', async (t) => {
  const fresh = await startTestApp(t)
  await fresh.institution('utwente.nl', 'NL')
  const key = bearer(await fresh.key('utwente.nl', ['catalogue:write'])).authorization
  let submitted = 0
  const submitFresh = async (body: object, dryRun: boolean): Promise<SubmitResult> => {
    submitted++
    const response = await fresh.app.inject({ method: 'POST', url: `/v1/institutions/utwente.nl/offers/sync${dryRun ? '?dryRun=true' : ''}`, headers: { authorization: key }, payload: body })
    return { status: response.statusCode, body: response.json() }
  }
  const endpoint = await ooapiServer(t, (path, response) => {
    if (!path.startsWith(`/courses/${COURSE_B}/offerings`)) return false
    response.writeHead(503).end()
    return true
  })
  const lines: string[] = []
  t.equal(await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick }, submit: submitFresh, dryRun: false, print: (line) => lines.push(line) }), 1)
  t.equal(endpoint.requests.filter((request) => request.includes(COURSE_B)).length, 3, 'the first attempt and two retries')
  t.match(lines.join('\n'), /retrying .* \(HTTP 503\), attempt 2[\s\S]*nothing was sent: .*HTTP 503, 3 attempts/)
  t.equal(submitted, 0)
  t.same(await offersOf(fresh.app, key), [], 'nothing written')

  let failures = 1
  const flaky = await ooapiServer(t, (path, response) => {
    if (!path.startsWith(`/courses/${COURSE_B}/offerings`) || failures-- <= 0) return false
    response.destroy()
    return true
  })
  const recovered: string[] = []
  t.equal(await importFromOoapi({ reader: { baseUrl: flaky.baseUrl, ...quick }, submit: submitFresh, dryRun: true, print: (line) => recovered.push(line) }), 0, recovered.join('\n'))
  t.match(recovered.join('\n'), /retrying .*network error/)
})

t.test('a slow endpoint times out; a 404, a redirect, a page limit or a body that is not JSON stop the import', async (t) => {
  const faults: Record<string, (response: ServerResponse) => void> = {
    slow: () => {},
    missing: (response) => response.writeHead(404).end(),
    redirect: (response) => response.writeHead(302, { location: 'https://elsewhere.example.org/' }).end(),
    html: (response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
  }
  for (const [name, fault] of Object.entries(faults)) {
    const endpoint = await ooapiServer(t, (path, response) => {
      if (!path.startsWith('/courses?')) return false
      fault(response)
      return true
    })
    const lines: string[] = []
    t.equal(await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick, timeoutMs: 100, retries: 0 }, submit, dryRun: true, print: (line) => lines.push(line) }), 1, name)
    t.match(lines.join('\n'), /cannot read .* whole, nothing was sent/, name)
  }
  const endpoint = await ooapiServer(t)
  await t.rejects(readCourses({ baseUrl: endpoint.baseUrl, ...quick, maxPages: 1 }), /more than 1 pages/)
})

t.test('two courses with one identifier, or a sync the server refuses, send nothing for real', async (t) => {
  const twin = course(COURSE_B, 'DB-201', {})
  const endpoint = await ooapiServer(t, (path, response) => {
    if (path !== '/courses?pageSize=100&pageNumber=2') return false
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page([twin], 2, false)))
    return true
  })
  const lines: string[] = []
  t.equal(await importFromOoapi({ reader: { baseUrl: endpoint.baseUrl, ...quick }, submit, dryRun: false, print: (line) => lines.push(line) }), 1)
  t.match(lines.join('\n'), /several courses have the same identifier \(DB-201\)/)
  const refused: string[] = []
  const refuse = async (): Promise<SubmitResult> => ({ status: 422, body: { code: 'SYNC_INVALID', detail: 'no', invalidOffers: [{ externalId: 'X', code: 'OFFER_INVALID', errors: [{ pointer: '/title', detail: 'bad' }] }] } })
  t.equal(await importFromOoapi({ reader: { baseUrl: (await ooapiServer(t)).baseUrl, ...quick }, submit: refuse, dryRun: false, print: (line) => refused.push(line) }), 1)
  t.match(refused.join('\n'), /sync refused \(422 SYNC_INVALID\): no\n {2}offer X: OFFER_INVALID\n {4}\/title: bad/)
})

t.test('what a course states badly is reported, not guessed', async (t) => {
  const imported = importCourse({ courseId: 'x', primaryCode: { code: 'has space' }, abbreviation: 'also bad', name: 'Title', description: [{ language: 'EN', value: '' }], teachingLanguage: 'xxx', modeOfDelivery: ['telepathy'], link: 'ftp://x', level: 'nt2-1', learningOutcomes: [[{ language: 'en', value: 'LO' }], 'bad'] }, [
    { offeringId: 'o1', startDate: '2027-01-01' },
    { primaryCode: { code: 'r2' }, startDate: '2027-01-01', endDate: '2027-02-01', teachingLanguage: 'eng' },
    { primaryCode: { code: 'r3' }, startDate: '2027-01-01', endDate: '2027-02-01', teachingLanguage: 'eng', modeOfDelivery: 'online', priceInformation: [{ costType: 'total costs', amount: 'free' }, { costType: 'total costs', amount: '10', currency: 'EUR', ext: { appliesTo: 'others' } }] },
  ])
  t.equal(imported.externalId, 'x')
  t.equal(imported.offer.status, 'draft')
  t.same(imported.offer.learningOutcomes, [{ text: { en: 'LO' } }])
  t.same(imported.runs, [{ runId: 'r3', startDate: '2027-01-01', endDate: '2027-02-01', language: 'en', mode: 'online', fees: [{ amount: 10, currency: 'EUR', appliesTo: 'others' }] }])
  const report = imported.unmapped.join('\n')
  for (const expected of [/neither is a usable identifier/, /name: not a list/, /description: an entry without/, /teachingLanguage: "xxx"/, /unknown mode of delivery "telepathy"/, /link: "ftp:\/\/x"/, /level: "nt2-1" has no QF-EHEA cycle/, /learningOutcomes\/1: not a list/, /offerings\/0: left out, without a usable id/, /offerings\/1: left out, without a mode/, /priceInformation\/0: without an amount/]) {
    t.match(report, expected)
  }
})

t.test('the command line: --from-ooapi against a running server', async (t) => {
  const endpoint = await ooapiServer(t)
  const fresh = await startTestApp(t)
  await fresh.institution('utwente.nl', 'NL')
  const key = await fresh.key('utwente.nl', ['catalogue:write'])
  const address = await fresh.app.listen({ port: 0, host: '127.0.0.1' })
  const run = await runScript('scripts/sync.ts', ['--from-ooapi', endpoint.baseUrl, '--institution', 'utwente.nl', '--url', address], { PASSERELLE_KEY: key })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /read 2 courses and 3 offerings[\s\S]*dry run, nothing written: would have created 2[\s\S]*done: created 2/)
  const wrong = await runScript('scripts/sync.ts', ['--from-ooapi', 'file:///etc/passwd', '--institution', 'utwente.nl'], { PASSERELLE_KEY: key })
  t.equal(wrong.code, 2)
  t.match(wrong.stderr, /http\(s\) base URL/)
  const withFile = await runScript('scripts/sync.ts', ['--from-ooapi', endpoint.baseUrl, '--institution', 'utwente.nl', '--file', 'x.json'], { PASSERELLE_KEY: key })
  t.equal(withFile.code, 2)
  const noKey = await runScript('scripts/sync.ts', ['--from-ooapi', endpoint.baseUrl, '--institution', 'utwente.nl'], {})
  t.equal(noKey.code, 2)
})
