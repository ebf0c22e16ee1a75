import t from 'tap'
import { checkDecision, type DecisionContext } from '../src/modules/recognition/rules.js'
import { coversErrors, coversOf, coversVersion, MATERIAL_ELEMENTS, offerChanges, versionInForceOn } from '../src/modules/recognition/rules-versions.js'
import type { DecisionInput } from '../src/modules/recognition/schemas.js'

const content = {
  title: { en: 'Data literacy' },
  description: { en: 'Finding, cleaning and sharing research data' },
  ects: 3,
  workloadHours: 80,
  eqfLevel: 7 as const,
  learningOutcomes: [{ text: { en: 'Write a data management plan' } }],
  assessments: [{ type: 'project' }],
  qualityAssurance: { type: 'internal' },
  languages: ['en'],
} as never

t.test('two equal contents differ in nothing, whatever the order of their keys', async (t) => {
  const reordered = Object.fromEntries(Object.entries(content as object).reverse()) as never
  t.same(offerChanges(content, reordered), [])
  t.same(offerChanges(content, { ...(content as object), title: { en: 'Data literacy' } } as never), [], 'an equal statement written anew')
})

t.test('each changed element is listed once, material or editorial', async (t) => {
  const after = {
    ...(content as object),
    title: { en: 'Data literacy for researchers' },
    ects: 4,
    learningOutcomes: [{ text: { en: 'Write a data management plan' } }, { text: { en: 'Publish a data set' } }],
    homepage: 'https://example.org/data',
  } as never
  t.same(offerChanges(content, after), [
    { element: 'title', material: false },
    { element: 'learningOutcomes', material: true },
    { element: 'ects', material: true },
    { element: 'homepage', material: false },
  ])
})

t.test('an element stated or no longer stated is a change', async (t) => {
  const { qualityAssurance: _removed, ...withoutQa } = content as Record<string, unknown>
  t.same(offerChanges(content, withoutQa as never), [{ element: 'qualityAssurance', material: true }])
  t.same(offerChanges(withoutQa as never, content), [{ element: 'qualityAssurance', material: true }])
  t.same(offerChanges(content, { ...(content as object), eqfLevel: 6 } as never), [{ element: 'eqfLevel', material: true }], 'the level')
  t.same(offerChanges(content, { ...(content as object), assessments: [{ type: 'exam' }] } as never), [{ element: 'assessments', material: true }], 'the assessment')
  t.same(offerChanges(content, { ...(content as object), languages: ['en', 'it'] } as never), [{ element: 'languages', material: false }], 'the language')
})

t.test('the material elements are what recognition weighs', async (t) => {
  t.same([...MATERIAL_ELEMENTS].sort(), ['assessments', 'awardingBodies', 'ects', 'eqfLevel', 'learningOutcomes', 'learningSetting', 'nqfLevels', 'prerequisites', 'qfEheaCycle', 'qualityAssurance', 'supervision', 'workloadHours'])
})

t.test('coverage: by default from the version decided on until a material change', async (t) => {
  const covers = coversOf(undefined, 2)
  t.same(covers, { fromVersion: 2, until: 'material_change' })
  t.same(coversOf({ fromVersion: 1, until: { version: 3 } }, 2), { fromVersion: 1, until: { version: 3 } }, 'a stated coverage stands')
  t.ok(coversVersion(covers, 2, []), 'the version decided on')
  t.ok(coversVersion(covers, 4, [{ element: 'title', material: false }]), 'a later version changed editorially')
  t.notOk(coversVersion(covers, 4, [{ element: 'title', material: false }, { element: 'ects', material: true }]), 'a later version changed materially')
  t.notOk(coversVersion(covers, 1, []), 'a version before the first covered')
  const until3 = { fromVersion: 1, until: { version: 3 } }
  t.ok(coversVersion(until3, 3, [{ element: 'ects', material: true }]), 'until a version: material changes up to it are covered')
  t.notOk(coversVersion(until3, 4, []), 'and no version after it')
})

t.test('a stated coverage includes the version decided on', async (t) => {
  t.same(coversErrors({ fromVersion: 2, until: 'material_change' }, 2), [])
  t.same(coversErrors({ fromVersion: 1, until: { version: 2 } }, 2), [])
  t.same(coversErrors({ fromVersion: 3, until: { version: 1 } }, 2).map((e) => `${e.pointer}:${e.code}`), [
    '/covers/fromVersion:COVERS_FROM_AFTER_DECIDED',
    '/covers/until/version:COVERS_UNTIL_BEFORE_DECIDED',
  ])
})

t.test('the version in force on a day is the last one published on or before it', async (t) => {
  const versions = [
    { number: 1, publishedAt: new Date('2026-03-01T10:00:00Z') },
    { number: 2, publishedAt: new Date('2026-09-15T23:30:00Z') },
    { number: 3, publishedAt: new Date('2027-01-10T08:00:00Z') },
  ]
  t.equal(versionInForceOn(versions, '2026-02-28'), undefined, 'before the first version')
  t.equal(versionInForceOn(versions, '2026-03-01'), 1, 'the day it was published')
  t.equal(versionInForceOn(versions, '2026-09-14'), 1)
  t.equal(versionInForceOn(versions, '2026-09-15'), 2, 'published late that day (UTC)')
  t.equal(versionInForceOn(versions, '2030-01-01'), 3)
  t.equal(versionInForceOn([...versions].reverse(), '2026-12-31'), 2, 'in whatever order they come')
  t.equal(versionInForceOn([], '2030-01-01'), undefined)
})

const individual = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
  offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
  scope: 'individual',
  learnerRef: 'a81f3c9e',
  purpose: 'credit_transfer',
  outcome: 'full',
  creditsRecognised: 3,
  ...overrides,
})
const context = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  recognisingInstitution: 'kuleuven.be',
  offer: { offeringInstitution: 'unibo.it', version: { number: 2, published: true, ects: 3 } },
  today: '2027-02-01',
  now: new Date('2027-02-01T12:00:00Z'),
  ...overrides,
})
const codes = (input: DecisionInput, ctx: DecisionContext) => checkDecision(input, ctx).map((e) => `${e.pointer}:${e.code}`)

t.test('an individual decision binds to the version in force when the credential was issued', async (t) => {
  t.same(codes(individual({ credentialIssuedOn: '2026-10-01' }), context({ credentialVersion: 2 })), [])
  t.same(codes(individual({ credentialIssuedOn: '2026-10-01', offerVersion: 2 }), context({ credentialVersion: 2 })), [], 'the same version named')
  t.same(codes(individual({ credentialIssuedOn: '2026-10-01', offerVersion: 1 }), context({ credentialVersion: 2 })), ['/offerVersion:OFFER_VERSION_MISMATCH'])
  t.same(codes(individual({ credentialIssuedOn: '2020-01-01' }), context({ credentialVersion: null })), ['/credentialIssuedOn:CREDENTIAL_BEFORE_OFFER'])
  t.same(codes(individual({ credentialIssuedOn: '2027-02-02' }), context({ credentialVersion: 2 })), ['/credentialIssuedOn:CREDENTIAL_ISSUED_AFTER_DECISION'])
  t.same(codes(individual({ credentialIssuedOn: '2027-01-20', decidedAt: '2027-01-15T00:00:00Z' }), context({ credentialVersion: 2 })), ['/credentialIssuedOn:CREDENTIAL_ISSUED_AFTER_DECISION'], 'after the stated decision date')
})

t.test('coverage is stated by ex-ante decisions only, and includes the version decided on', async (t) => {
  const exAnte = individual({ scope: 'ex_ante', learnerRef: undefined })
  t.same(codes({ ...exAnte, covers: { fromVersion: 1, until: { version: 4 } } }, context()), [])
  t.same(codes({ ...exAnte, covers: { fromVersion: 3, until: 'material_change' } }, context()), ['/covers/fromVersion:COVERS_FROM_AFTER_DECIDED'])
  t.same(codes({ ...exAnte, covers: { fromVersion: 3, until: 'material_change' } }, context({ offer: undefined })), ['/offerId:OFFER_NOT_FOUND'], 'nothing to compare without the offer')
  t.same(codes({ ...exAnte, credentialIssuedOn: '2026-10-01' }, context()), ['/credentialIssuedOn:CREDENTIAL_ISSUED_ON_FORBIDDEN'])
  t.same(codes(individual({ covers: { fromVersion: 1, until: 'material_change' } }), context()), ['/covers:COVERS_EX_ANTE_ONLY'])
})
