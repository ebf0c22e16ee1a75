import { createHash } from 'node:crypto'
import t from 'tap'
import { checkCompliance } from '../src/modules/catalogue/compliance.js'
import { contentHash, foldText, indexedFields, isSameContent, possibleIssuerCountries, surroundingsOf, withDefaults, type StoredContent } from '../src/modules/catalogue/content.js'
import { canonicalJson } from '../src/lib/canonical-json.js'
import { amountProblems, hasTwoDecimalsAtMost } from '../src/lib/credits.js'
import { createTransition, withdrawTransition, writeTransition } from '../src/modules/catalogue/lifecycle.js'
import { checkOfferRules } from '../src/modules/catalogue/rules.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { iscedAncestors, isIscedField } from '../src/vocabularies/index.js'
import { completeOffer } from './helpers/offers.js'

const context = { schac: 'unibo.it', country: 'IT', alliances: ['una-europa'] }
const complete = () => withDefaults(completeOffer() as OfferContent, context)

t.test('a complete offer is compliant', async (t) => {
  t.same(checkCompliance(complete()), { complete: true, missing: [] })
})

t.test('each missing Annex I element is reported by name, number and field', async (t) => {
  const cases: Array<[keyof OfferContent | 'agency', number, string, string]> = [
    ['title', 2, '/title', 'Title of the micro-credential'],
    ['issuerCountries', 3, '/issuerCountries', 'Country(ies)/Region(s) of the issuer'],
    ['awardingBodies', 4, '/awardingBodies', 'Awarding body(ies)'],
    ['learningOutcomes', 6, '/learningOutcomes', 'Learning outcomes'],
    ['ects', 7, '/ects', 'Notional workload needed to achieve the learning outcomes (in ECTS, wherever possible)'],
    ['eqfLevel', 8, '/eqfLevel', 'Level (and cycle, if applicable) of the learning experience (EQF, QF-EHEA)'],
    ['assessments', 9, '/assessments', 'Type of assessment'],
    ['participation', 10, '/participation', 'Form of participation in the learning activity'],
    ['qualityAssurance', 11, '/qualityAssurance', 'Type of quality assurance used to underpin the micro-credential'],
  ]
  for (const [field, number, pointer, element] of cases) {
    const content: Record<string, unknown> = { ...complete() }
    delete content[field]
    const result = checkCompliance(content as OfferContent)
    t.equal(result.complete, false, `${field} missing`)
    t.same(result.missing.map((m) => [m.number, m.field, m.element]), [[number, pointer, element]], `${field} reported`)
    t.type(result.missing[0]!.detail, 'string')
  }
})

t.test('empty statements count as missing; "not applicable" counts as a level', async (t) => {
  const empty = checkCompliance({
    ...complete(),
    title: { en: '   ' },
    learningOutcomes: [{ text: { en: ' ' } }],
    assessments: [],
    participation: [],
  })
  t.same(empty.missing.map((m) => m.number), [2, 6, 9, 10])
  t.equal(checkCompliance({ ...complete(), eqfLevel: 'not_applicable', qfEheaCycle: undefined }).complete, true)
})

t.test('external quality assurance must name its agency', async (t) => {
  const result = checkCompliance({ ...complete(), qualityAssurance: { type: 'external' } })
  t.same(result.missing.map((m) => m.number), [11])
  t.match(result.missing[0]!.detail, /agency/)
  t.equal(checkCompliance({ ...complete(), qualityAssurance: { type: 'internal' } }).complete, true)
})

t.test('a draft with nothing but a title misses everything else', async (t) => {
  const result = checkCompliance({ title: { en: 'Draft' } })
  t.same(result.missing.map((m) => m.number), [3, 4, 6, 7, 8, 9, 10, 11])
})

t.test('content rules report every violation with its pointer', async (t) => {
  t.same(checkOfferRules(complete()), [])
  const errors = checkOfferRules({
    ...complete(),
    ects: 2.555,
    workloadHours: 500,
    eqfLevel: 6,
    qfEheaCycle: 'second',
    iscedFields: ['0613', '0699', '12'],
    languages: ['en', 'pt-BR', 'xx'],
    issuerCountries: ['IT', 'EL'],
    startDate: '2027-05-01',
    endDate: '2027-04-01',
    applicationDeadline: '2027-06-01',
    stackability: { mode: 'stackable' },
    qualityAssurance: { type: 'internal', agency: { name: 'X' } },
  })
  t.same(errors.map((e) => e.pointer), [
    '/ects',
    '/workloadHours',
    '/qfEheaCycle',
    '/iscedFields/1',
    '/iscedFields/2',
    '/languages/2',
    '/issuerCountries/1',
    '/endDate',
    '/applicationDeadline',
    '/stackability/towards',
    '/qualityAssurance/agency',
  ])
  t.match(errors[1]!.detail, /195\.7 hours per credit/)
  t.match(errors[2]!.detail, /second cycle corresponds to EQF level 7/)
  t.same(errors.slice(3, 7).map((e) => e.code), ['ISCED_F_UNKNOWN', 'ISCED_F_UNKNOWN', 'LANGUAGE_UNKNOWN', 'COUNTRY_UNKNOWN'])
})

t.test('workload: 25–30 hours per credit is right, a little outside is tolerated, far outside is not', async (t) => {
  const workload = (ects: number, workloadHours: number) => checkOfferRules({ ...complete(), ects, workloadHours }).length
  t.equal(workload(3, 75), 0)
  t.equal(workload(3, 90), 0)
  t.equal(workload(3, 60), 0, '20 h per credit is tolerated')
  t.equal(workload(3, 108), 0, '36 h per credit is tolerated')
  t.equal(workload(3, 59), 1)
  t.equal(workload(3, 109), 1)
  t.equal(workload(0.5, 14), 0)
  t.equal(checkOfferRules({ ...complete(), ects: 2.25 }).length, 0, 'two decimals are fine')
  t.equal(checkOfferRules({ ...complete(), ects: 1.1, workloadHours: 30 }).length, 0, 'binary fractions are not mistaken for three decimals')
})

t.test('stand-alone offers stack towards nothing', async (t) => {
  const errors = checkOfferRules({ ...complete(), stackability: { mode: 'stand_alone', towards: [{ title: { en: 'MSc' } }] } })
  t.same(errors.map((e) => e.pointer), ['/stackability/towards'])
})

t.test('the elements the standards need: NQF levels and NUTS regions from the EU lists, accreditation only for external QA', async (t) => {
  const nl = 'http://data.europa.eu/snb/qdr/c_5c66dcbc'
  const ok = { ...complete(), issuerCountries: ['IT', 'GR'], nqfLevels: [nl], issuerRegions: ['ITH55', 'EL30'], learningSetting: 'non_formal' as const }
  t.same(checkOfferRules(ok), [])
  const errors = checkOfferRules({
    ...ok,
    nqfLevels: [nl, 'http://data.europa.eu/snb/qdr/c_00000000'],
    issuerRegions: ['ITH55', 'IT', 'XX123', 'DE30'],
    qualityAssurance: { type: 'internal', level: 'programme', validUntil: '2030-01-01' },
  })
  t.same(errors.map((e) => `${e.pointer} ${e.code}`), [
    '/nqfLevels/1 NQF_LEVEL_UNKNOWN',
    '/issuerRegions/1 NUTS_UNKNOWN',
    '/issuerRegions/2 NUTS_UNKNOWN',
    '/issuerRegions/3 REGION_OUTSIDE_ISSUER_COUNTRIES',
    '/qualityAssurance/level QA_INTERNAL_ACCREDITATION',
    '/qualityAssurance/validUntil QA_INTERNAL_ACCREDITATION',
  ])
  t.match(errors[3]!.detail, /DE30 is in DE/)
  const external = { type: 'external' as const, agency: { name: 'NVAO', deqarAgencyId: '37', reportUrl: 'https://example.org/report' }, level: 'institutional' as const }
  t.same(checkOfferRules({ ...ok, qualityAssurance: external }), [])
})

t.test('ISCED-F 2013: listed codes exist, others do not; ancestors for prefix search', async (t) => {
  for (const code of ['06', '061', '0613', '0610', '0619', '068', '0688', '9999', '0011', '1041', '0099', '0499', '0799', '1099']) t.ok(isIscedField(code), code)
  for (const code of ['12', '0699', '0618', '065', '0', '06130', '0010', '0420', '1049']) t.notOk(isIscedField(code), code)
  t.same(iscedAncestors('0613'), ['06', '061', '0613'])
  t.same(iscedAncestors('06'), ['06'])
})

t.test('defaults: issuer country, awarding body and type come from the institution; alliances are not content', async (t) => {
  const content = withDefaults({ title: { en: 'x' } }, context)
  t.same(content.issuerCountries, ['IT'])
  t.same(content.awardingBodies, [{ schac: 'unibo.it' }])
  t.notOk('alliances' in content)
  t.equal(content.learningOpportunityType, 'short_learning_programme')
  t.same(withDefaults({ issuerCountries: ['FR'] }, context).issuerCountries, ['FR'], 'explicit values are kept')
})

t.test('the content hash ignores key order and nothing else', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } }), '{"a":{"d":[2,{"x":2,"y":1}]},"b":1}')
  // Stored offers carry hashes of this text: it must stay byte for byte what it was.
  const stored = {
    title: { fr: 'Littératie des données', en: 'Data literacy' },
    ects: 2.5,
    learningOutcomes: [{ text: { en: 'Clean a "data" set\u2028' } }],
    alliances: [],
    qualityAssurance: { type: 'internal', agency: undefined },
    stackable: false,
    homepage: null,
  }
  t.equal(createHash('sha256').update(canonicalJson(stored)).digest('hex'), '547fff1e05b28bf2159316668e7bded10f6a6066a97736c00d375305b5e8f55f')
  const a = complete()
  const reordered = Object.fromEntries(Object.entries(a).reverse()) as OfferContent
  t.equal(contentHash(reordered), contentHash(a))
  t.not(contentHash({ ...a, ects: 4, workloadHours: 100 }), contentHash(a))
})

t.test('search text is folded for case and accents; ISCED paths include broader fields', async (t) => {
  t.equal(foldText('Littératie ÉTÉ Ærø Straße'), 'litteratie ete ærø straße')
  const fields = indexedFields(complete())
  t.match(fields.searchTitles, /litteratie des donnees/)
  t.match(fields.searchBody, /nettoyer et documenter/)
  t.same(fields.iscedPaths, ['05', '054', '0542'])
  t.equal(fields.sortTitle, 'data literacy for researchers')
  t.equal(fields.stackable, false)
})

t.test('lifecycle: draft → published → withdrawn → published; never back to draft', async (t) => {
  const now = new Date('2027-01-01T00:00:00Z')
  t.same(createTransition('draft', now).events, ['created'])
  t.same(createTransition('published', now).events, ['created', 'published'])
  const draft = { status: 'draft' as const, version: 1, contentHash: 'h1', publishedAt: null }
  t.equal(writeTransition(draft, { status: 'draft', contentHash: 'h1' }, now), undefined, 'identical write: no change')
  const edited = writeTransition(draft, { status: 'draft', contentHash: 'h2' }, now)!
  t.match(edited, { version: 2, newVersion: true, events: ['updated'], publishedAt: null })
  const published = writeTransition(draft, { status: 'published', contentHash: 'h1' }, now)!
  t.match(published, { status: 'published', version: 1, newVersion: false, events: ['published'], publishedAt: now })
  const live = { status: 'published' as const, version: 1, contentHash: 'h1', publishedAt: now }
  t.match(writeTransition(live, { status: 'published', contentHash: 'h3' }, now), { version: 2, events: ['updated'] })
  t.match(writeTransition(live, { status: 'draft', contentHash: 'h1' }, now), { refused: 'INVALID_STATUS_TRANSITION' })
  const withdrawn = withdrawTransition(live, now)!
  t.match(withdrawn, { status: 'withdrawn', withdrawnAt: now, events: ['withdrawn'], version: 1 })
  const gone = { ...live, status: 'withdrawn' as const }
  t.equal(withdrawTransition(gone, now), undefined, 'withdrawing twice changes nothing')
  t.match(writeTransition(gone, { status: 'published', contentHash: 'h1' }, now), { status: 'published', withdrawnAt: null, events: ['published'] })
  t.match(writeTransition(gone, { status: 'draft', contentHash: 'h1' }, now), { refused: 'INVALID_STATUS_TRANSITION' })
})

t.test('credits and hours: two decimals written out, a minimum, zero only where it means something', async (t) => {
  for (const value of [0.1, 2.5, 59.99, 3, 0.07]) t.ok(hasTwoDecimalsAtMost(value), String(value))
  for (const value of [1e-9, 2.5e-8, 0.125, 0.1 + 0.2]) t.notOk(hasTwoDecimalsAtMost(value), String(value))
  t.same(amountProblems(0.05, 'credits').map((p) => p.code), ['MINIMUM'])
  t.same(amountProblems(0, 'credits').map((p) => p.code), ['MINIMUM'])
  t.same(amountProblems(0, 'credits', { zeroAllowed: true }), [])
  t.same(amountProblems(0.5, 'hours').map((p) => p.code), ['MINIMUM'])
  t.same(amountProblems(1e-9, 'credits').map((p) => p.code), ['PRECISION', 'MINIMUM'])
})

t.test('issuer countries are listed when someone who stands behind the offer is in them', async (t) => {
  const content = {
    issuerCountries: ['IT', 'BE', 'FI', 'NL', 'FR'],
    awardingBodies: [{ schac: 'unibo.it' }, { schac: 'kuleuven.be' }, { schac: 'helsinki.fi' }, { name: { en: 'Academy' }, country: 'NL' }],
  } as OfferContent
  const countries = new Map([['kuleuven.be', 'BE'], ['helsinki.fi', 'FI']])
  const listed = (answers: Record<string, 'pending' | 'confirmed' | 'declined'> | undefined) =>
    surroundingsOf(content, context, countries, answers).issuerCountries
  t.same(listed(undefined), ['IT', 'NL'], 'pending: the provider and the declared body only')
  t.same(listed({ 'kuleuven.be': 'confirmed', 'helsinki.fi': 'declined' }), ['IT', 'BE', 'NL'])
  t.same(surroundingsOf(content, context, countries, undefined).alliances, ['una-europa'], 'the alliances of now')
  t.same([...possibleIssuerCountries(content, context, countries)].sort(), ['BE', 'FI', 'IT', 'NL'], 'FR is no one\'s country')
})

t.test('content stored with the alliances of its day says the same as that content without them', async (t) => {
  const content = complete()
  const next = { content, contentHash: contentHash(content) }
  t.ok(isSameContent(next, { contentHash: next.contentHash }))
  const stored = contentHash({ ...content, alliances: ['civis'] } as StoredContent)
  t.ok(isSameContent(next, { contentHash: stored, alliances: ['civis'] }))
  t.notOk(isSameContent(next, { contentHash: stored, alliances: null }))
  t.notOk(isSameContent({ content: { ...content, ects: 4 }, contentHash: 'other' }, { contentHash: stored, alliances: ['civis'] }))
})
