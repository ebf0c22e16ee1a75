import { Type, type Static } from 'typebox'
import { DateInput, DateTimeInput, HttpUrl, INT32_MAX, NextCursor, PageQuery, SchacCode, Timestamp, Uuid, nullable, page, pageExamples, ref } from '../../schemas.js'
import { DURATION_PATTERN } from './rules-procedure.js'
import { MATERIAL_ELEMENTS, OFFER_ELEMENTS } from './rules-versions.js'
import { DECISION_EXAMPLE, OFFER_RECOGNITION_EXAMPLE } from './examples.js'

export const SCOPES = ['ex_ante', 'individual'] as const
export const PURPOSES = ['credit_transfer', 'exemption', 'admission', 'other'] as const
export const OUTCOMES = ['full', 'partial', 'none'] as const
export const DIFFERENCE_ELEMENTS = ['level', 'workload', 'quality', 'profile', 'learning_outcomes'] as const
export const SUPERSESSION_REASONS = ['appeal_upheld', 'correction', 'new_offer_version', 'policy_change'] as const
export const PRE_APPROVALS = ['pre_approved', 'partly_pre_approved', 'not_pre_approved'] as const
export const COMPENSATIONS = ['conditions', 'additional_work'] as const
export const DECISION_STATUSES = ['in_force', 'scheduled', 'superseded', 'revoked', 'expired'] as const

const STATUS_DESCRIPTION =
  'At the moment asked (now unless `at` says otherwise): in_force from validFrom to validUntil (inclusive); ' +
  'scheduled before validFrom; expired after validUntil; superseded or revoked from the moment that happened'

/** A moment in the past (or future) at which to judge which decisions are in force. */
const AtQuery = DateTimeInput({ description: 'Judge the status at this moment instead of now (for registrars who check the past); its date (UTC) is compared with validFrom and validUntil' })

const DateOnly = DateInput()
const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) })
const CREDITS_RULES = 'ECTS credits: 0, or at least 0.1 (CREDITS_MINIMUM), with at most two decimals written out (CREDITS_PRECISION: 2.5, not 2.505 or 1e-9)'
const Credits = (what: string) => Type.Number({ minimum: 0, maximum: 60, description: `${what} ${CREDITS_RULES}` })

export const COMPONENT_TYPES = ['compulsory', 'elective', 'extra_curricular', 'diploma_supplement'] as const
export const APPEAL_RESULTS = ['upheld', 'partly_upheld', 'rejected'] as const

export const GradeConversion = Type.Object(
  {
    table: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'The ECTS grading table used (ECTS Users\' Guide)' })),
    rule: Type.Optional(Text(1000, 'The conversion rule used, when there is no grading table')),
  },
  { $id: 'GradeConversion', additionalProperties: false, minProperties: 1 },
)

export const RecognisedComponent = Type.Object(
  {
    code: Text(64, 'The local course or component code'),
    title: Text(300),
    credits: Credits('Credits mapped onto this component (at least 0.1).'),
    programme: Type.Optional(Text(300, 'The programme the component belongs to')),
    losId: Type.Optional(Text(255, 'The receiving institution\'s learning opportunity id (EWP `losId`)')),
    componentType: Type.Optional(Type.Enum(COMPONENT_TYPES, { description: 'How the component is booked: compulsory, elective, extra-curricular, or a Diploma Supplement mention' })),
    academicYear: Type.Optional(Type.String({ pattern: '^[0-9]{4}/[0-9]{4}$', description: 'The academic year booked, e.g. 2026/2027 (ACADEMIC_YEAR: consecutive years)', examples: ['2026/2027'] })),
    term: Type.Optional(Text(64, 'The term booked, e.g. "semester 2"')),
    gradeConversion: Type.Optional(ref(GradeConversion)),
    learningOutcomes: Type.Optional(Type.Array(Text(1000), { maxItems: 30, description: 'The learning outcomes recognised (for a partial decision: which ones)' })),
  },
  { $id: 'RecognisedComponent', additionalProperties: false },
)

export const Contact = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'A functional address (recognition office), never a person\'s own' })),
    url: Type.Optional(HttpUrl),
  },
  { $id: 'Contact', additionalProperties: false, minProperties: 1, description: 'Where the learner asks about the decision' },
)

export const AppealOutcome = Type.Object(
  {
    result: Type.Enum(APPEAL_RESULTS),
    decidedOn: DateInput({ description: 'When the appeal was decided (YYYY-MM-DD)' }),
    note: Type.Optional(Text(2000)),
  },
  { $id: 'AppealOutcome', additionalProperties: false, description: 'The outcome of an appeal against the decision this one supersedes' },
)

export const Compensation = Type.Object(
  {
    by: Type.Enum(COMPENSATIONS, { description: 'conditions: the decision\'s conditions make up for it; additional_work: the learner did (or does) more' }),
    description: Text(2000, 'How the difference was made up for'),
  },
  {
    $id: 'Compensation',
    additionalProperties: false,
    description: 'How a substantial difference was compensated; every difference a full decision states must be (FULL_DIFFERENCE_NOT_COMPENSATED)',
  },
)

export const SubstantialDifference = Type.Object(
  {
    element: Type.Enum(DIFFERENCE_ELEMENTS, { description: 'Where the difference lies (Lisbon Recognition Convention)' }),
    description: Text(4000),
    compensation: Type.Optional(ref(Compensation)),
  },
  { $id: 'SubstantialDifference', additionalProperties: false },
)

export const SupersessionReason = Type.Object(
  {
    code: Type.Enum(SUPERSESSION_REASONS, {
      description: 'appeal_upheld: an appeal against the superseded decision succeeded; correction: it held an error; new_offer_version: the offer changed; policy_change: the institution\'s recognition policy changed',
    }),
    note: Type.Optional(Text(2000, 'What changed, in a sentence')),
  },
  {
    $id: 'SupersessionReason',
    additionalProperties: false,
    description: 'Why a decision supersedes another: required with supersedes (SUPERSESSION_REASON_REQUIRED), shown in the history; absent on decisions recorded before reasons were asked for',
  },
)

export const IndividualAssessment = Type.Object(
  {
    apply: Text(2000, 'Where and how a holder applies for an individual assessment'),
    url: Type.Optional(HttpUrl),
  },
  {
    $id: 'IndividualAssessment',
    additionalProperties: false,
    description:
      'Ex ante only: where a holder applies for an individual assessment, which every applicant keeps the right to (Lisbon Recognition Convention). ' +
      'Required when an ex-ante decision does not pre-approve the offer (outcome none: INDIVIDUAL_ASSESSMENT_REQUIRED)',
  },
)

export const Appeal = Type.Object(
  {
    body: Text(300, 'Who hears the appeal'),
    period: Type.Optional(
      Type.String({
        pattern: DURATION_PATTERN,
        maxLength: 20,
        description: 'How long the learner has to appeal, counted from notification (ISO 8601 duration: P30D, P6W, P2M); give this or deadline (APPEAL_DEADLINE_OR_PERIOD)',
        examples: ['P30D'],
      }),
    ),
    deadline: Type.Optional(DateInput({ description: 'A fixed last day to appeal (YYYY-MM-DD); give this or period' })),
    url: Type.Optional(HttpUrl),
  },
  { $id: 'Appeal', additionalProperties: false },
)

export const Covers = Type.Object(
  {
    fromVersion: Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'The first version covered; at most the version decided on (COVERS_FROM_AFTER_DECIDED)' }),
    until: Type.Union(
      [
        Type.Literal('material_change', { description: 'Every later version until the offer changes materially (see OfferChange)' }),
        Type.Object(
          { version: Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'The last version covered; at least the version decided on (COVERS_UNTIL_BEFORE_DECIDED)' }) },
          { additionalProperties: false },
        ),
      ],
    ),
  },
  {
    $id: 'Covers',
    additionalProperties: false,
    description:
      'Ex ante only (COVERS_EX_ANTE_ONLY): the offer versions the policy covers. Defaults to the version decided on until the offer changes materially, ' +
      'which is also what decisions recorded before coverage was stated cover',
    examples: [{ fromVersion: 1, until: 'material_change' }, { fromVersion: 2, until: { version: 3 } }],
  },
)

const ELEMENT_DESCRIPTION =
  `An element of the offer (Annex I of the Council Recommendation on micro-credentials and the catalogue's further statements). ` +
  `A change is material for ${MATERIAL_ELEMENTS.join(', ')}: what recognition weighs (level, workload, quality, learning outcomes and their assessment, ` +
  'who awards the credential); editorial for every other element'

export const OfferChange = Type.Object(
  {
    element: Type.Enum(Object.keys(OFFER_ELEMENTS), { description: ELEMENT_DESCRIPTION }),
    material: Type.Boolean({ description: 'A material change ends a coverage `until: material_change`: time to review the decision' }),
  },
  { $id: 'OfferChange', additionalProperties: false, examples: [{ element: 'learningOutcomes', material: true }, { element: 'title', material: false }] },
)

const decisionStatement = {
  offerVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'Defaults to the current published version' })),
  scope: Type.Enum(SCOPES, { description: 'ex_ante: a policy for every holder; individual: one learner\'s application' }),
  learnerRef: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        'Pseudonymous reference from the learner\'s home institution (individual only): one opaque token such as `a81f3c9e`, ' +
        '`STU-2027-000451` or an EWP/ESI `urn:schac:personalUniqueCode:…`. Stored and compared in normal form (Unicode NFKC, ' +
        'trimmed, lower case: `LRN-DUP-1 ` and `ｌｒｎ－ｄｕｐ－１` are the same learner). Refused (LEARNER_REF_PERSONAL_DATA) when, ' +
        'once normalised, it contains an e-mail address, a date (1990-01-31, 31.01.1990, 19900131, 1990-01-31T00:00) or ' +
        'words separated by spaces (a name)',
      examples: ['a81f3c9e'],
    }),
  ),
  credentialRef: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Identifier of the issued credential' })),
  credentialIssuedOn: Type.Optional(
    DateInput({
      description:
        'Individual only: the day the learner\'s credential was issued (YYYY-MM-DD). The decision binds to the offer version in force that day, ' +
        'the last one published on or before it (CREDENTIAL_BEFORE_OFFER when none was; OFFER_VERSION_MISMATCH when offerVersion names another), e.g. 2026-06-30',
    }),
  ),
  covers: Type.Optional(ref(Covers)),
  purpose: Type.Enum(PURPOSES),
  purposeText: Type.Optional(Text(500, 'What the purpose is, when it is "other"')),
  outcome: Type.Enum(OUTCOMES),
  creditsRecognised: Credits(
    'Credits transferred: what the learner\'s record gains. The components\' credits (mapped) may add up to less: the rest transfers as a block (COMPONENTS_EXCEED_CREDITS when more).',
  ),
  recognisedAs: Type.Optional(Type.Array(ref(RecognisedComponent), { maxItems: 50 })),
  substantialDifferences: Type.Optional(Type.Array(ref(SubstantialDifference), { maxItems: 10 })),
  justification: Type.Optional(Text(8000)),
  conditions: Type.Optional(
    Type.Array(Text(2000), { maxItems: 20, description: 'Conditions to meet; with conditions, recognition is not automatic' }),
  ),
  appeal: Type.Optional(ref(Appeal)),
  appealOutcome: Type.Optional(ref(AppealOutcome)),
  laterMeasures: Type.Optional(Text(4000, 'What the learner can do to obtain recognition later')),
  decidingBody: Type.Optional(Text(300, 'Who decided, e.g. "Examination Board of the Master of Law"')),
  contact: Type.Optional(ref(Contact)),
  policyUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'The institution\'s published recognition policy' })),
  applicationReceivedOn: Type.Optional(DateInput({ description: 'Individual only: the day the application arrived (YYYY-MM-DD)' })),
  applicationCompleteOn: Type.Optional(DateInput({ description: 'Individual only: the day the application was complete, from which the time limit runs (YYYY-MM-DD)' })),
  validFrom: Type.Optional(DateInput({ description: 'Defaults to the day of the decision (YYYY-MM-DD)' })),
  validUntil: Type.Optional(DateOnly),
  decidedAt: Type.Optional(DateTimeInput({ description: 'Defaults to now; a date more than five minutes ahead of the server\'s clock is refused (DECIDED_AT_FUTURE)' })),
  supersessionReason: Type.Optional(ref(SupersessionReason)),
  individualAssessment: Type.Optional(ref(IndividualAssessment)),
  supersedes: Type.Optional(Uuid({ description: 'The decision (of your institution, for the same offer, scope, learner and purpose, neither superseded nor revoked) that this one replaces; needed when their validity periods overlap' })),
}

/** A registrar's requests, as the README's "A registrar's day" sends them. */
const DECISION_EXAMPLES = [
  {
    offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 4,
    recognisedAs: [
      { code: 'FIL-312', title: 'Ethics of technology', credits: 3 },
      { code: 'FIL-VAPAA', title: 'Free elective studies in philosophy', credits: 1 },
    ],
    covers: { fromVersion: 1, until: 'material_change' },
  },
  {
    offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
    scope: 'individual',
    learnerRef: 'r0912345',
    credentialIssuedOn: '2026-06-30',
    purpose: 'credit_transfer',
    outcome: 'partial',
    creditsRecognised: 2,
    recognisedAs: [{ code: 'D0H21A', title: 'European business law', credits: 2, programme: 'Master of Law' }],
    substantialDifferences: [{ element: 'learning_outcomes', description: 'Belgian company law, a third of the local course, is not among the offer\'s outcomes' }],
    justification: 'The GDPR and contract outcomes match the local course; its Belgian company law part has no counterpart.',
    appeal: { body: 'Faculty of Law examination appeals board', period: 'P30D', url: 'https://www.kuleuven.be/appeals' },
    laterMeasures: 'Pass the Belgian company law module (1 ECTS) to complete the recognition.',
    decidingBody: 'Examination Board of the Master of Law',
    contact: { email: 'recognition@law.kuleuven.be' },
    policyUrl: 'https://www.kuleuven.be/english/education/recognition-policy',
    applicationReceivedOn: '2026-10-01',
    applicationCompleteOn: '2026-10-15',
  },
  {
    offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
    scope: 'individual',
    learnerRef: 'r0912345',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 3,
    recognisedAs: [
      {
        code: 'D0H21A',
        title: 'European business law',
        credits: 3,
        programme: 'Master of Law',
        losId: 'kuleuven.be:los:D0H21A',
        componentType: 'elective',
        academicYear: '2026/2027',
        term: 'semester 2',
        gradeConversion: { table: 'https://www.kuleuven.be/ects-grading-table/law-2026' },
      },
    ],
    supersedes: '9b1d4f7a-2c3e-4a5b-8d6e-0f1a2b3c4d5e',
    supersessionReason: { code: 'appeal_upheld', note: 'The case study of the offer covers Belgian company law.' },
    appealOutcome: { result: 'upheld', decidedOn: '2026-11-20' },
  },
  {
    offerId: '7c4e2a91-0b3d-4f6a-8e5c-2d1b9a7f6e40',
    scope: 'ex_ante',
    purpose: 'exemption',
    outcome: 'none',
    creditsRecognised: 0,
    substantialDifferences: [{ element: 'learning_outcomes', description: 'German data protection law (BDSG) is not among the outcomes.' }],
    justification: 'The exemption replaces a module whose outcomes include national data protection law.',
    individualAssessment: { apply: 'Apply to the Prüfungsausschuss der Juristischen Fakultät with your transcript.', url: 'https://uni-tuebingen.de/en/faculties/faculty-of-law/' },
  },
]

export const DecisionInput = Type.Object(
  { offerId: Uuid(), ...decisionStatement },
  { $id: 'DecisionInput', additionalProperties: false, examples: DECISION_EXAMPLES },
)
export type DecisionInput = Static<typeof DecisionInput>

export const Decision = Type.Object(
  {
    id: Uuid(),
    recognisingInstitution: ref(SchacCode),
    offeringInstitution: ref(SchacCode),
    offerId: Uuid(),
    offerVersion: Type.Integer({ minimum: 1 }),
    scope: Type.Enum(SCOPES),
    learnerRef: Type.Optional(Type.String()),
    credentialRef: Type.Optional(Type.String()),
    credentialIssuedOn: Type.Optional(DateOnly),
    covers: Type.Union([ref(Covers), Type.Null()], { description: 'Ex ante: the versions covered (stated, or the default); null for individual decisions, bound to offerVersion alone' }),
    purpose: Type.Enum(PURPOSES),
    purposeText: Type.Optional(Type.String()),
    outcome: Type.Enum(OUTCOMES),
    creditsRecognised: Type.Number({ description: 'Credits transferred: what the learner\'s record gains' }),
    creditsMapped: Type.Number({ description: 'Of those, the credits mapped onto local components (recognisedAs); the rest transfers as a block' }),
    recognisedAs: Type.Array(ref(RecognisedComponent)),
    substantialDifferences: Type.Array(ref(SubstantialDifference)),
    justification: Type.Optional(Type.String()),
    conditions: Type.Array(Type.String()),
    appeal: Type.Optional(ref(Appeal)),
    appealOutcome: Type.Optional(ref(AppealOutcome)),
    laterMeasures: Type.Optional(Type.String()),
    decidingBody: Type.Optional(Type.String()),
    contact: Type.Optional(ref(Contact)),
    policyUrl: Type.Optional(Type.String()),
    applicationReceivedOn: Type.Optional(DateOnly),
    applicationCompleteOn: Type.Optional(DateOnly),
    validFrom: DateOnly,
    validUntil: nullable(DateOnly),
    decidedAt: Timestamp,
    supersedes: nullable(Uuid()),
    supersessionReason: Type.Optional(ref(SupersessionReason)),
    supersededBy: nullable(Uuid()),
    preApproval: Type.Union([Type.Enum(PRE_APPROVALS), Type.Null()], {
      description: 'Ex ante: what the policy pre-approves (outcome full, partial, none); an ex-ante `none` refuses no one: every holder may still apply for an individual assessment. Null for individual decisions',
    }),
    individualAssessment: Type.Optional(ref(IndividualAssessment)),
    status: Type.Enum(DECISION_STATUSES, { description: STATUS_DESCRIPTION }),
    revokedAt: nullable(Timestamp),
    revocationReason: nullable(Type.String()),
    automatic: Type.Boolean({ description: 'False when conditions must be met first' }),
    createdAt: Timestamp,
  },
  { $id: 'Decision', additionalProperties: false, examples: [DECISION_EXAMPLE] },
)
export type Decision = Static<typeof Decision>

export const DecisionPage = Type.Object(page(ref(Decision)).properties, { $id: 'DecisionPage', additionalProperties: false, examples: pageExamples(DECISION_EXAMPLE) })

export const DecisionHistory = Type.Object(
  { items: Type.Array(ref(Decision), { description: 'The supersession chain, oldest first' }) },
  { $id: 'DecisionHistory', additionalProperties: false, examples: [{ items: [DECISION_EXAMPLE] }] },
)

export const RevokeInput = Type.Object(
  { reason: Text(2000, 'Why the decision no longer stands; shown with it and in the audit trail') },
  { $id: 'RevokeInput', additionalProperties: false, examples: [{ reason: 'Recorded for r0912346 instead of r0912364' }] },
)

export const DecisionListQuery = Type.Object(
  {
    offer: Type.Optional(Uuid()),
    offeringInstitution: Type.Optional(Type.String({ maxLength: 253 })),
    recognisingInstitution: Type.Optional(Type.String({ maxLength: 253 })),
    outcome: Type.Optional(Type.Enum(OUTCOMES)),
    scope: Type.Optional(Type.Enum(SCOPES)),
    purpose: Type.Optional(Type.Enum(PURPOSES)),
    status: Type.Optional(Type.Enum(DECISION_STATUSES)),
    learnerRef: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Compared in normal form (NFKC, trimmed, lower case). Needs recognition:read, or recognition:write for your institution\'s own decisions' })),
    decidedSince: Type.Optional(DateTimeInput()),
    at: Type.Optional(AtQuery),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type DecisionListQuery = Static<typeof DecisionListQuery>

export const OfferRecognitionEntry = Type.Object(
  {
    decisionId: Uuid(),
    recognisingInstitution: ref(SchacCode),
    purpose: Type.Enum(PURPOSES),
    outcome: Type.Enum(OUTCOMES),
    creditsRecognised: Type.Number({ description: 'Credits transferred' }),
    creditsMapped: Type.Number({ description: 'Of those, the credits mapped onto local components' }),
    recognisedAs: Type.Array(ref(RecognisedComponent)),
    conditions: Type.Array(Type.String()),
    automatic: Type.Boolean(),
    decidingBody: Type.Optional(Type.String()),
    contact: Type.Optional(ref(Contact)),
    policyUrl: Type.Optional(Type.String()),
    preApproval: Type.Enum(PRE_APPROVALS, { description: 'What the policy pre-approves; not_pre_approved leaves every holder the individual assessment' }),
    individualAssessment: Type.Optional(ref(IndividualAssessment)),
    validFrom: DateOnly,
    validUntil: nullable(DateOnly),
    decidedAt: Timestamp,
    offerVersion: Type.Integer({ description: 'The offer version the decision was taken on' }),
    covers: ref(Covers),
    offerChangedSince: Type.Array(ref(OfferChange), {
      description: 'The elements that differ between the version decided on and the current one, each marked material or editorial; empty when none does',
    }),
    coversCurrentVersion: Type.Boolean({ description: 'The decision covers the offer\'s current version (see covers); when false, time to review it' }),
  },
  { $id: 'OfferRecognitionEntry', additionalProperties: false },
)
export type OfferRecognitionEntry = Static<typeof OfferRecognitionEntry>

export const OfferRecognition = Type.Object(
  {
    offerId: Uuid(),
    found: Type.Boolean({ description: 'False when no such offer is visible' }),
    currentVersion: nullable(Type.Integer()),
    offerWithdrawn: Type.Boolean({ description: 'The provider has withdrawn the offer: its decisions stand for those who completed it, but nobody new can take it' }),
    recognitions: Type.Array(ref(OfferRecognitionEntry), { description: 'Ex-ante decisions in force at the moment asked (now by default), by institution' }),
  },
  { $id: 'OfferRecognition', additionalProperties: false, examples: [OFFER_RECOGNITION_EXAMPLE] },
)
export type OfferRecognition = Static<typeof OfferRecognition>

export const RecognitionStatusInput = Type.Object(
  {
    offers: Type.Array(Uuid(), { minItems: 1, maxItems: 500, uniqueItems: true }),
    institution: Type.Optional(ref(SchacCode)),
    at: Type.Optional(AtQuery),
  },
  {
    $id: 'RecognitionStatusInput',
    additionalProperties: false,
    examples: [
      { offers: ['3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35', '7c4e2a91-0b3d-4f6a-8e5c-2d1b9a7f6e40'] },
      { offers: ['3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35'], institution: 'kuleuven.be', at: '2026-09-01T00:00:00Z' },
    ],
  },
)

export const OfferRecognitionQuery = Type.Object({ at: Type.Optional(AtQuery) }, { additionalProperties: false })

export const RecognitionStatus = Type.Object(
  { items: Type.Array(ref(OfferRecognition)) },
  { $id: 'RecognitionStatus', additionalProperties: false, examples: [{ items: [OFFER_RECOGNITION_EXAMPLE] }] },
)

export const RecognitionSettingsInput = Type.Object(
  {
    decisionTimeLimit: Type.String({
      pattern: DURATION_PATTERN,
      maxLength: 20,
      description: 'How long after an individual application is complete the institution decides on it: an ISO 8601 duration from a day to a year (TIME_LIMIT_RANGE), e.g. P4M',
    }),
  },
  { $id: 'RecognitionSettingsInput', additionalProperties: false, examples: [{ decisionTimeLimit: 'P4M' }, { decisionTimeLimit: 'P60D' }] },
)

export const RecognitionSettings = Type.Object(
  {
    institution: ref(SchacCode),
    decisionTimeLimit: nullable(Type.String(), { description: 'Null until the institution sets one' }),
    updatedAt: nullable(Timestamp),
  },
  { $id: 'RecognitionSettings', additionalProperties: false, examples: [{ institution: 'kuleuven.be', decisionTimeLimit: 'P4M', updatedAt: '2026-11-02T09:15:00.000Z' }] },
)
export type RecognitionSettings = Static<typeof RecognitionSettings>

export const OverdueDecision = Type.Object(
  {
    decisionId: Uuid(),
    offerId: Uuid(),
    learnerRef: Type.String(),
    status: Type.Enum(['in_force', 'superseded', 'revoked']),
    applicationCompleteOn: DateOnly,
    dueBy: Type.String({ format: 'date', description: 'The last day of the time limit' }),
    decidedAt: Timestamp,
    daysTaken: Type.Integer({ description: 'Days from the complete application to the decision' }),
  },
  { $id: 'OverdueDecision', additionalProperties: false },
)
export type OverdueDecision = Static<typeof OverdueDecision>

export const OverduePage = Type.Object(
  {
    timeLimit: nullable(Type.String(), { description: 'The institution\'s time limit; null (and nothing listed) until it sets one' }),
    count: Type.Integer({ description: 'How many individual decisions exceeded it, in all' }),
    items: Type.Array(ref(OverdueDecision)),
    nextCursor: NextCursor,
  },
  {
    $id: 'OverduePage',
    additionalProperties: false,
    examples: [
      {
        timeLimit: 'P4M',
        count: 1,
        items: [
          {
            decisionId: '9d1c4b7a-2e6f-4a83-b5d0-7c3e1f9a2b64',
            offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
            learnerRef: 'a81f3c9e',
            status: 'in_force',
            applicationCompleteOn: '2026-05-04',
            dueBy: '2026-09-04',
            decidedAt: '2026-09-21T10:00:00.000Z',
            daysTaken: 140,
          },
        ],
        nextCursor: null,
      },
    ],
  },
)

export const OverdueQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

export const recognitionSchemas = [
  RecognitionSettingsInput,
  RecognitionSettings,
  OverdueDecision,
  OverduePage,
  GradeConversion,
  RecognisedComponent,
  Contact,
  AppealOutcome,
  Compensation,
  SubstantialDifference,
  SupersessionReason,
  IndividualAssessment,
  Appeal,
  Covers,
  OfferChange,
  DecisionInput,
  Decision,
  DecisionPage,
  DecisionHistory,
  RevokeInput,
  OfferRecognitionEntry,
  OfferRecognition,
  RecognitionStatusInput,
  RecognitionStatus,
]
