import t from 'tap'
import { runColumns } from '../src/modules/catalogue/runs-repository.js'
import { checkRunRules, isOpenForApplication, runIdErrors, todayUtc, unknownInstitutionErrors } from '../src/modules/catalogue/runs-rules.js'
import type { RunInput } from '../src/modules/catalogue/runs-schemas.js'
import { isPublicOffer, runChanges, toRun } from '../src/modules/catalogue/runs.js'
import { EVENT_NAMES, payloadOf, receives } from '../src/modules/webhooks/payloads.js'

const run = (overrides: Partial<RunInput> = {}): RunInput => ({ startDate: '2027-02-01', endDate: '2027-05-31', language: 'en', mode: 'online', ...overrides })
const offer = { participation: ['online', 'onsite'] }
const codes = (input: RunInput, participation: readonly string[] | undefined = offer.participation, prefix = '') =>
  checkRunRules(input, { participation }, prefix).map((e) => `${e.pointer} ${e.code}`)

t.test('a valid run breaks no rule', async (t) => {
  t.same(codes(run()), [])
  t.same(codes(run({ mode: 'onsite', location: { city: 'Bologna', country: 'IT' }, application: { opens: '2026-11-01', closes: '2027-05-31' } })), [], 'applications may close on the last day')
  t.same(codes(run({ endDate: '2027-02-01' })), [], 'a one-day run')
})

t.test('dates and the application window', async (t) => {
  t.same(codes(run({ endDate: '2027-01-31' })), ['/endDate RUN_DATES_ORDER'])
  t.same(codes(run({ application: { opens: '2027-01-02', closes: '2027-01-01' } })), ['/application/closes RUN_APPLICATION_ORDER'])
  t.same(codes(run({ application: { opens: '2027-01-02', closes: '2027-06-01' } })), ['/application/closes RUN_APPLICATION_AFTER_END'])
})

t.test('places, mode and location', async (t) => {
  t.same(codes(run({ places: { total: 10, available: 10 } })), [])
  t.same(codes(run({ places: { total: 10 } })), [])
  t.same(codes(run({ places: { total: 10, available: 11 } })), ['/places/available RUN_PLACES_EXCEED_TOTAL'])
  t.same(codes(run({ mode: 'blended', location: { city: 'Leuven', country: 'BE' } })), ['/mode RUN_MODE_NOT_OFFERED'])
  t.same(checkRunRules(run(), { participation: undefined }).map((e) => e.code), ['RUN_MODE_NOT_OFFERED'], 'an offer stating no participation has no run mode')
  t.same(codes(run(), []), ['/mode RUN_MODE_NOT_OFFERED'])
  t.same(codes(run({ mode: 'onsite' })), ['/location RUN_LOCATION_REQUIRED'])
  t.same(codes(run({ location: { city: 'Bologna', country: 'IT' } })), ['/location RUN_LOCATION_ONLINE'])
  t.same(codes(run({ mode: 'onsite', location: { city: 'Nowhere', country: 'ZZ' } })), ['/location/country COUNTRY_UNKNOWN'])
  t.same(codes(run({ language: 'xx' })), ['/language LANGUAGE_UNKNOWN'])
})

t.test('fees', async (t) => {
  const fee = (amount: number, appliesTo: 'alliance_students' | 'others' | 'everyone') => ({ amount, currency: 'EUR', appliesTo })
  t.same(codes(run({ fees: [fee(0, 'alliance_students'), fee(450.5, 'others')] })), [])
  t.same(codes(run({ fees: [fee(0.1 + 0.2, 'everyone')] })), [], 'floating-point noise is not a third decimal')
  t.same(codes(run({ fees: [fee(12.345, 'everyone')] })), ['/fees/0/amount RUN_FEE_PRECISION'])
  t.same(codes(run({ fees: [fee(1, 'others'), fee(2, 'others')] })), ['/fees/1/appliesTo RUN_FEE_AUDIENCE_OVERLAP'])
  t.same(codes(run({ fees: [fee(1, 'others'), fee(2, 'everyone')] })), ['/fees/1/appliesTo RUN_FEE_AUDIENCE_OVERLAP'])
  t.same(codes(run({ fees: [fee(1, 'everyone'), fee(2, 'alliance_students')] })), ['/fees/1/appliesTo RUN_FEE_AUDIENCE_OVERLAP'])
})

t.test('eligibility', async (t) => {
  t.same(codes(run({ eligibility: { openTo: 'anyone' } })), [])
  t.same(codes(run({ eligibility: { openTo: 'institutions', institutions: ['kuleuven.be'] } })), [])
  t.same(codes(run({ eligibility: { openTo: 'institutions' } })), ['/eligibility/institutions RUN_ELIGIBILITY_INSTITUTIONS'])
  t.same(codes(run({ eligibility: { openTo: 'anyone', institutions: ['kuleuven.be'] } })), ['/eligibility/institutions RUN_ELIGIBILITY_INSTITUTIONS'])
  t.same(
    codes(run({ eligibility: { openTo: 'anyone', languageRequirements: [{ language: 'en', cefr: 'B2' }, { language: 'xx', cefr: 'A1' }, { language: 'en', cefr: 'C1' }] } })),
    ['/eligibility/languageRequirements/1/language LANGUAGE_UNKNOWN', '/eligibility/languageRequirements/2/language RUN_LANGUAGE_REQUIREMENT_DUPLICATE'],
  )
  const named = run({ eligibility: { openTo: 'institutions', institutions: ['kuleuven.be', 'nowhere.example'] } })
  t.same(unknownInstitutionErrors(named, new Set(['kuleuven.be']), '/runs/1').map((e) => `${e.pointer} ${e.code}`), ['/runs/1/eligibility/institutions/1 RUN_INSTITUTION_UNKNOWN'])
  t.same(unknownInstitutionErrors(run(), new Set()), [])
})

t.test('pointers take the prefix; run ids of dots are refused', async (t) => {
  t.same(codes(run({ endDate: '2027-01-01' }), offer.participation, '/runs/3'), ['/runs/3/endDate RUN_DATES_ORDER'])
  t.same(runIdErrors('2027-A', 'path'), [])
  t.same(runIdErrors('..', 'path').map((e) => [e.in, e.pointer, e.code]), [['path', '/runId', 'RUN_ID_DOTS']])
  t.same(runIdErrors('.', 'body', '/runs/0/runId').map((e) => e.pointer), ['/runs/0/runId'])
})

t.test('open for application: today within the window, bounds included', async (t) => {
  const window = { application: { opens: '2027-01-01', closes: '2027-01-31' } }
  t.equal(isOpenForApplication(window, '2026-12-31'), false)
  t.equal(isOpenForApplication(window, '2027-01-01'), true)
  t.equal(isOpenForApplication(window, '2027-01-31'), true)
  t.equal(isOpenForApplication(window, '2027-02-01'), false)
  t.equal(isOpenForApplication({}, '2027-01-15'), false, 'no window stated')
  t.equal(todayUtc(new Date('2027-01-01T23:30:00-02:00')), '2027-01-02', 'the UTC day')
})

t.test('derived columns, representation and feed entries', async (t) => {
  const input = run({ places: { total: 5, available: 2 }, application: { opens: '2026-11-01', closes: '2027-01-15' }, eligibility: { openTo: 'institutions', institutions: ['ulb.be'] } })
  const columns = runColumns(input)
  t.match(columns, { startDate: '2027-02-01', applicationOpens: '2026-11-01', applicationCloses: '2027-01-15', placesAvailable: 2, mode: 'online', openTo: 'institutions', openToInstitutions: ['ulb.be'] })
  t.equal(runColumns({ ...input }).contentHash, columns.contentHash, 'the hash is of the content')
  t.not(runColumns(run()).contentHash, columns.contentHash)
  t.match(runColumns(run()), { applicationOpens: null, placesAvailable: null, openTo: 'anyone', openToInstitutions: [] })

  const row = { id: 'r', offerId: 'o', institutionSchac: 'unibo.it', runId: 'R', revision: 3, createdAt: new Date(0), updatedAt: new Date(0), ...runColumns(run()) }
  t.match(toRun(row, '2027-01-01'), { eligibility: { openTo: 'anyone' }, openForApplication: false, updatedAt: '1970-01-01T00:00:00.000Z' })
  const draft = { institutionSchac: 'unibo.it', status: 'draft' as const, publishedAt: null }
  t.same(runChanges([row], 'updated', draft), [{ type: 'run', id: 'r', action: 'updated', version: 3, institution: 'unibo.it', visibleTo: ['unibo.it'] }])
  t.same(runChanges([row], 'updated', { ...draft, status: 'published', publishedAt: new Date() })[0]!.visibleTo, undefined)
  t.equal(isPublicOffer({ status: 'withdrawn', publishedAt: new Date() }), true)
  t.equal(isPublicOffer({ status: 'withdrawn', publishedAt: null }), false)
})

t.test('run entries reach webhooks as other feed entries, pointing at the run', async (t) => {
  const entry = { sequence: 7, type: 'run' as const, entityId: 'a1b2', action: 'updated', version: 2, at: new Date(0), institution: 'unibo.it', visibleTo: null, validFrom: null, validUntil: null }
  const audience = { events: ['run'], institutions: null, alliances: null, fromSequence: 0, viewer: null, readsRecognitions: false, writesRecognitions: false }
  t.equal(receives(entry, audience, () => []), true)
  t.equal(receives(entry, { ...audience, events: ['run.deleted'] }, () => []), false)
  t.equal(receives(entry, { ...audience, events: ['offer'] }, () => []), false)
  t.equal(receives({ ...entry, visibleTo: ['unibo.it'] }, audience, () => []), false, 'a draft\'s run: its institution only')
  t.equal(receives({ ...entry, visibleTo: ['unibo.it'] }, { ...audience, viewer: 'unibo.it' }, () => []), true)
  t.match(JSON.parse(payloadOf(entry, 'https://passerelle.example.eu')), { type: 'run.updated', data: { id: 'a1b2', url: 'https://passerelle.example.eu/v1/runs/a1b2' } })
  t.ok(EVENT_NAMES.includes('run.deleted'))
})
