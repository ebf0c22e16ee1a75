import t from 'tap'
import { checkDecision, type DecisionContext } from '../src/modules/recognition/rules.js'
import type { DecisionInput } from '../src/modules/recognition/schemas.js'

const OFFER = '00000000-0000-4000-8000-000000000001'
const context = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  recognisingInstitution: 'kuleuven.be',
  offer: { offeringInstitution: 'unibo.it', version: { number: 2, published: true, ects: 6 } },
  today: '2027-01-10',
  now: new Date('2027-01-10T12:00:00Z'),
  ...overrides,
})
const full = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
  offerId: OFFER,
  scope: 'ex_ante',
  purpose: 'credit_transfer',
  outcome: 'full',
  creditsRecognised: 6,
  recognisedAs: [{ code: 'H0A12', title: 'Data science elective', credits: 6 }],
  ...overrides,
})
const refusalParts = {
  justification: 'The offer is at EQF 5; the programme requires level 7 outcomes.',
  substantialDifferences: [{ element: 'level' as const, description: 'EQF 5 against the required EQF 7' }],
  appeal: { body: 'Faculty examination appeals board', deadline: '2027-02-10' },
  laterMeasures: 'Complete the level-7 bridging module, then apply again.',
}
const codes = (input: DecisionInput, ctx = context()) => checkDecision(input, ctx).map((e) => `${e.pointer}:${e.code}`)

t.test('valid decisions of each outcome pass', async (t) => {
  t.same(codes(full()), [])
  t.same(codes(full({ outcome: 'partial', creditsRecognised: 4, recognisedAs: [{ code: 'A', title: 'A', credits: 4 }], ...refusalParts })), [])
  t.same(codes(full({ scope: 'individual', learnerRef: 'a81f3c9e', outcome: 'none', creditsRecognised: 0, recognisedAs: [], ...refusalParts })), [])
  t.same(codes(full({ outcome: 'none', creditsRecognised: 0, recognisedAs: [], ...refusalParts, individualAssessment: { apply: 'Apply to the Faculty Admissions Office' } })), [])
  t.same(codes(full({ scope: 'individual', learnerRef: 'urn:schac:personalUniqueCode:int:esi:unibo.it:a81f3c' })), [])
  t.same(codes(full({ purpose: 'other', purposeText: 'Admission to a summer school' })), [])
  t.same(codes(full({ recognisedAs: undefined })), [], 'components are optional')
  t.same(codes(full({ validFrom: '2027-01-01', validUntil: '2027-12-31', conditions: ['Pass the oral check'] })), [])
})

t.test('the offer version exists and was published; own offers cannot be recognised', async (t) => {
  t.same(codes(full(), context({ offer: undefined })), ['/offerId:OFFER_NOT_FOUND'])
  t.same(codes(full(), context({ offer: { offeringInstitution: 'unibo.it' } })), ['/offerId:OFFER_VERSION_NOT_FOUND'])
  t.same(codes(full({ offerVersion: 9 }), context({ offer: { offeringInstitution: 'unibo.it' } })), ['/offerVersion:OFFER_VERSION_NOT_FOUND'])
  t.same(codes(full(), context({ offer: { offeringInstitution: 'unibo.it', version: { number: 1, published: false, ects: 6 } } })), ['/offerVersion:OFFER_VERSION_NOT_PUBLISHED'])
  t.same(codes(full(), context({ recognisingInstitution: 'unibo.it' })), ['/offerId:OWN_OFFER'])
})

t.test('credits: never above the offer, all for full, none for none, some for partial, components add up', async (t) => {
  t.same(codes(full({ creditsRecognised: 7, recognisedAs: [] })), ['/creditsRecognised:CREDITS_EXCEED_OFFER'])
  t.same(codes(full({ creditsRecognised: 5, recognisedAs: [] })), ['/creditsRecognised:FULL_RECOGNISES_ALL'])
  t.same(codes(full({ outcome: 'none', creditsRecognised: 2, recognisedAs: [], ...refusalParts, individualAssessment: { apply: 'Admissions' } })), ['/creditsRecognised:NONE_RECOGNISES_NOTHING'])
  t.same(codes(full({ outcome: 'partial', creditsRecognised: 6, recognisedAs: [], ...refusalParts })), ['/creditsRecognised:PARTIAL_RECOGNISES_SOME'])
  t.same(codes(full({ outcome: 'partial', creditsRecognised: 0, recognisedAs: [], ...refusalParts })), ['/creditsRecognised:PARTIAL_RECOGNISES_SOME'])
  t.same(codes(full({ recognisedAs: [{ code: 'A', title: 'A', credits: 3 }, { code: 'B', title: 'B', credits: 2.5 }] })), [], 'credits transferred beyond the components mapped transfer as a block')
  t.same(codes(full({ recognisedAs: [{ code: 'A', title: 'A', credits: 3.5 }, { code: 'B', title: 'B', credits: 2.51 }] })), ['/recognisedAs:COMPONENTS_EXCEED_CREDITS'])
  t.same(codes(full({ recognisedAs: [{ code: 'A', title: 'A', credits: 3.5 }, { code: 'B', title: 'B', credits: 2.5 }] })), [], 'sums are exact in hundredths')
  t.same(codes(full({ creditsRecognised: 5.999, recognisedAs: [] })), ['/creditsRecognised:CREDITS_PRECISION'])
  const decimal = context({ offer: { offeringInstitution: 'unibo.it', version: { number: 1, published: true, ects: 0.3 } } })
  t.same(codes(full({ creditsRecognised: 0.3, recognisedAs: [{ code: 'A', title: 'A', credits: 0.1 }, { code: 'B', title: 'B', credits: 0.2 }] }), decimal), [], '0.1 + 0.2 is 0.3 here')
})

t.test('partial and none are justified, name a substantial difference, tell how to appeal and what to do later', async (t) => {
  t.same(codes(full({ scope: 'individual', learnerRef: 'a81f3c9e', outcome: 'none', creditsRecognised: 0, recognisedAs: [] })), [
    '/justification:JUSTIFICATION_REQUIRED',
    '/substantialDifferences:SUBSTANTIAL_DIFFERENCE_REQUIRED',
    '/appeal:APPEAL_REQUIRED',
    '/laterMeasures:LATER_MEASURES_REQUIRED',
  ])
  t.same(codes(full({ outcome: 'partial', creditsRecognised: 3, recognisedAs: [], ...refusalParts, substantialDifferences: [] })), [
    '/substantialDifferences:SUBSTANTIAL_DIFFERENCE_REQUIRED',
  ])
  t.same(codes(full({ outcome: 'none', creditsRecognised: 0, recognisedAs: [], ...refusalParts, appeal: { body: 'Board', deadline: '2027-01-01' }, individualAssessment: { apply: 'Admissions' } })), ['/appeal/deadline:APPEAL_DEADLINE_PAST'])
})

t.test('an ex-ante none does not pre-approve: it names differences and where to apply for an individual assessment', async (t) => {
  t.same(codes(full({ outcome: 'none', creditsRecognised: 0, recognisedAs: [] })), [
    '/justification:JUSTIFICATION_REQUIRED',
    '/substantialDifferences:SUBSTANTIAL_DIFFERENCE_REQUIRED',
    '/individualAssessment:INDIVIDUAL_ASSESSMENT_REQUIRED',
  ], 'no appeal or later measures: a policy refuses no one')
  const notPreApproved = { outcome: 'none' as const, creditsRecognised: 0, recognisedAs: [], justification: refusalParts.justification, substantialDifferences: refusalParts.substantialDifferences }
  t.same(codes(full({ ...notPreApproved, individualAssessment: { apply: 'Apply to the Examination Board', url: 'https://www.kuleuven.be/recognition' } })), [])
  t.same(codes(full({ outcome: 'partial', creditsRecognised: 3, recognisedAs: [], ...refusalParts, individualAssessment: { apply: 'Examination Board' } })), [], 'a partial policy may say where to apply too')
  t.same(codes(full({ scope: 'individual', learnerRef: 'a81f3c9e', individualAssessment: { apply: 'Board' } })), ['/individualAssessment:INDIVIDUAL_ASSESSMENT_FORBIDDEN'])
})

t.test('a full decision may state differences it compensated, and no others', async (t) => {
  const compensated = { element: 'learning_outcomes' as const, description: 'Regression diagnostics are not covered', compensation: { by: 'conditions' as const, description: 'The oral check covers regression diagnostics' } }
  t.same(codes(full({ substantialDifferences: [compensated], conditions: ['Pass the oral check on regression diagnostics'] })), [])
  t.same(codes(full({ substantialDifferences: [compensated, ...refusalParts.substantialDifferences] })), ['/substantialDifferences/1/compensation:FULL_DIFFERENCE_NOT_COMPENSATED'])
})

t.test('what the learner\'s record books: components with year, term, type, EWP id, grade conversion, outcomes', async (t) => {
  const booked = {
    code: 'D0H21A',
    title: 'European business law',
    credits: 6,
    programme: 'Master of Law',
    losId: 'los-kul-D0H21A-2026',
    componentType: 'elective' as const,
    academicYear: '2026/2027',
    term: 'semester 2',
    gradeConversion: { table: 'https://www.kuleuven.be/ects-grading-table/law-2026' },
    learningOutcomes: ['Apply the GDPR to a business model'],
  }
  t.same(codes(full({ recognisedAs: [booked] })), [])
  t.same(codes(full({ recognisedAs: [{ ...booked, academicYear: '2026/2028' }] })), ['/recognisedAs/0/academicYear:ACADEMIC_YEAR'])
  t.same(codes(full({ recognisedAs: [] })), [], 'all 6 ECTS transferred as a block')
})

t.test('who decided and the procedure: application dates and the appeal', async (t) => {
  const individual = { scope: 'individual' as const, learnerRef: 'r0912345', decidedAt: '2027-01-10T09:00:00Z' }
  t.same(codes(full({ ...individual, applicationReceivedOn: '2026-11-02', applicationCompleteOn: '2026-11-20', decidingBody: 'Examination Board', contact: { email: 'recognition@kuleuven.be' }, policyUrl: 'https://www.kuleuven.be/recognition-policy' })), [])
  t.same(codes(full({ ...individual, applicationReceivedOn: '2026-11-20', applicationCompleteOn: '2026-11-02' })), ['/applicationCompleteOn:APPLICATION_COMPLETE_BEFORE_RECEIVED'])
  t.same(codes(full({ ...individual, applicationReceivedOn: '2027-01-11' })), ['/applicationReceivedOn:APPLICATION_AFTER_DECISION'])
  t.same(codes(full({ applicationReceivedOn: '2026-11-02', applicationCompleteOn: '2026-11-20' })), ['/applicationReceivedOn:APPLICATION_DATES_INDIVIDUAL_ONLY', '/applicationCompleteOn:APPLICATION_DATES_INDIVIDUAL_ONLY'])
  const partial = { ...individual, outcome: 'partial' as const, creditsRecognised: 3, recognisedAs: [], ...refusalParts }
  t.same(codes(full({ ...partial, appeal: { body: 'Board', period: 'P30D' } })), [], 'an appeal period counted from notification')
  t.same(codes(full({ ...partial, appeal: { body: 'Board' } })), ['/appeal:APPEAL_DEADLINE_OR_PERIOD'])
  t.same(codes(full({ ...partial, appeal: { body: 'Board', period: 'P30D', deadline: '2027-02-10' } })), ['/appeal:APPEAL_DEADLINE_OR_PERIOD'])
})

t.test('the outcome of an appeal is stated by the decision that supersedes the one appealed against', async (t) => {
  const supersedes = '00000000-0000-4000-8000-000000000009'
  const upheld = { result: 'upheld' as const, decidedOn: '2027-01-08' }
  t.same(codes(full({ supersedes, supersessionReason: { code: 'appeal_upheld' }, appealOutcome: upheld })), [])
  t.same(codes(full({ appealOutcome: upheld })), ['/appealOutcome:APPEAL_OUTCOME_WITHOUT_SUPERSESSION'])
  t.same(codes(full({ supersedes, supersessionReason: { code: 'correction' }, appealOutcome: upheld })), ['/appealOutcome/result:APPEAL_OUTCOME_MISMATCH'])
  t.same(codes(full({ supersedes, supersessionReason: { code: 'appeal_upheld' }, appealOutcome: { ...upheld, result: 'rejected' } })), ['/appealOutcome/result:APPEAL_OUTCOME_MISMATCH'])
  t.same(codes(full({ supersedes, supersessionReason: { code: 'correction' }, appealOutcome: { ...upheld, result: 'rejected' } })), [])
  t.same(codes(full({ supersedes, supersessionReason: { code: 'appeal_upheld' }, appealOutcome: { ...upheld, decidedOn: '2027-01-11' } })), ['/appealOutcome/decidedOn:APPEAL_OUTCOME_AFTER_DECISION'])
})

t.test('a supersession says why', async (t) => {
  const supersedes = '00000000-0000-4000-8000-000000000009'
  t.same(codes(full({ supersedes })), ['/supersessionReason:SUPERSESSION_REASON_REQUIRED'])
  t.same(codes(full({ supersedes, supersessionReason: { code: 'appeal_upheld', note: 'The appeals board found the outcomes equivalent' } })), [])
  t.same(codes(full({ supersessionReason: { code: 'correction' } })), ['/supersessionReason:SUPERSESSION_REASON_UNEXPECTED'])
})

t.test('validity period, scope and learner reference, purpose', async (t) => {
  t.same(codes(full({ validFrom: '2027-06-01', validUntil: '2027-06-01' })), ['/validUntil:VALIDITY_PERIOD'])
  t.same(codes(full({ validUntil: '2027-01-09' })), ['/validUntil:VALIDITY_PERIOD'], 'validFrom defaults to the decision day')
  t.same(codes(full({ scope: 'individual' })), ['/learnerRef:LEARNER_REF_REQUIRED'])
  t.same(codes(full({ learnerRef: 'abc123' })), ['/learnerRef:LEARNER_REF_FORBIDDEN'])
  t.same(codes(full({ credentialRef: 'urn:credential:1' })), ['/credentialRef:CREDENTIAL_REF_FORBIDDEN'])
  t.same(codes(full({ scope: 'individual', learnerRef: 'maria.rossi@studio.unibo.it' })), ['/learnerRef:LEARNER_REF_PERSONAL_DATA'])
  t.same(codes(full({ scope: 'individual', learnerRef: 'Alice Smith 1990-01-31' })), ['/learnerRef:LEARNER_REF_PERSONAL_DATA'])
  t.same(codes(full({ purpose: 'other' })), ['/purposeText:PURPOSE_TEXT_REQUIRED'])
  t.same(codes(full({ purposeText: 'why' })), ['/purposeText:PURPOSE_TEXT_UNEXPECTED'])
})

t.test('credits of a decision follow the rules of offers: two decimals, at least 0.1 unless refused', async (t) => {
  const tiny = context({ offer: { offeringInstitution: 'unibo.it', version: { number: 1, published: true, ects: 1e-9 } } })
  t.same(codes(full({ creditsRecognised: 0, recognisedAs: [] }), tiny), ['/creditsRecognised:CREDITS_MINIMUM'], 'a full recognition of a 1e-9 ECTS offer recognises nothing')
  t.same(codes(full({ creditsRecognised: 1e-9, recognisedAs: [] }), tiny), ['/creditsRecognised:CREDITS_PRECISION', '/creditsRecognised:CREDITS_MINIMUM'])
  t.same(codes(full({ outcome: 'partial', creditsRecognised: 0.05, recognisedAs: [], ...refusalParts })), ['/creditsRecognised:CREDITS_MINIMUM'])
  t.same(codes(full({ recognisedAs: [{ code: 'A', title: 'A', credits: 6 }, { code: 'B', title: 'B', credits: 0 }] })), ['/recognisedAs/1/credits:CREDITS_MINIMUM'], 'a component of 0 credits books nothing')
})

t.test('a decision date in the future is refused, beyond five minutes of clock skew', async (t) => {
  t.same(codes(full({ decidedAt: '2099-01-01T00:00:00Z' })), ['/decidedAt:DECIDED_AT_FUTURE'])
  t.same(codes(full({ decidedAt: '2027-01-10T12:06:00Z' })), ['/decidedAt:DECIDED_AT_FUTURE'])
  t.same(codes(full({ decidedAt: '2027-01-10T12:04:00Z' })), [], 'within the skew')
  t.same(codes(full({ decidedAt: '2026-12-01T09:00:00+01:00' })), [], 'in the past')
})

t.test('every broken rule is reported at once', async (t) => {
  const errors = checkDecision(
    full({ scope: 'individual', outcome: 'partial', creditsRecognised: 9, purpose: 'other', validUntil: '2026-01-01' }),
    context({ recognisingInstitution: 'unibo.it' }),
  )
  t.same(errors.map((e) => e.code), [
    'OWN_OFFER',
    'CREDITS_EXCEED_OFFER',
    'JUSTIFICATION_REQUIRED',
    'SUBSTANTIAL_DIFFERENCE_REQUIRED',
    'APPEAL_REQUIRED',
    'LATER_MEASURES_REQUIRED',
    'VALIDITY_PERIOD',
    'LEARNER_REF_REQUIRED',
    'PURPOSE_TEXT_REQUIRED',
  ])
  t.ok(errors.every((e) => e.in === 'body' && e.detail.length > 0))
})
