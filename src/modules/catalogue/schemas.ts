import { Type, type Static } from 'typebox'
import { CountryCode, DateInput, SCHAC_PATTERN, DateTimeInput, FieldErrorSchema, HttpUrl, INT32_MAX, LanguageMap, PageQuery, Problem, SchacCode, Timestamp, Uuid, nullable, page, pageExamples, ref } from '../../schemas.js'
import { AWARDING_REQUEST_EXAMPLE, OFFER_EXAMPLE, OFFER_VERSION_EXAMPLE, SYNC_PROBLEM_EXAMPLE, SYNC_SUMMARY_EXAMPLE } from './examples.js'
import {
  ASSESSMENT_CODES,
  LEARNING_OPPORTUNITY_CODES,
  LEARNING_SETTING_CODES,
  PARTICIPATION_CODES,
  QA_LEVELS,
  QA_TYPES,
  QF_EHEA_CYCLES,
  SUPERVISION_CODES,
} from '../../vocabularies/index.js'
import { AllianceSlug } from '../registry/index.js'
import { EXAMPLE_ONLINE_RUN, RunSyncCounts, SyncRun, runSchemas } from './runs-schemas.js'
import { MAX_PHRASE_WORDS, MAX_SEARCH_TEXT_LENGTH, MAX_SEARCH_WORDS } from './search-text.js'

const DateOnly = DateInput()
const LanguageTag = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35, examples: ['en'] })
const IscedCode = Type.String({
  pattern: '^[0-9]{2,4}$',
  description: 'ISCED-F 2013 field code, one the EU\'s ISCED-F list has (else 422, ISCED_F_UNKNOWN)',
  examples: ['0613'],
})
const NqfLevel = Type.String({
  pattern: '^http://data\\.europa\\.eu/snb/qdr/c_[0-9a-f]{8}$',
  description: 'A concept IRI of the Qualification Dataset Register\'s NQF list (else 422, NQF_LEVEL_UNKNOWN)',
  examples: ['http://data.europa.eu/snb/qdr/c_0fe2b814'],
})
const NutsRegion = Type.String({ pattern: '^[A-Z]{2}[0-9A-Z]{1,3}$', description: 'NUTS code of levels 1–3', examples: ['ITH55'] })
const EscoSkill = Type.String({
  pattern: '^http://data\\.europa\\.eu/esco/skill/[0-9a-f-]{36}$',
  description: 'ESCO skill URI',
})
export const ExternalId = Type.String({
  pattern: '^[A-Za-z0-9._~:-]{1,128}$',
  description:
    'The provider\'s own identifier of the offer (URL-safe, up to 128 characters). An id made only of dots (".", "..") ' +
    'is removed from URLs by clients, so a write creating or changing an offer with one is refused (422, EXTERNAL_ID_DOTS)',
  examples: ['MC-DATA-2026'],
})

export const OFFER_STATUSES = ['draft', 'published', 'withdrawn'] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

export const LearningOutcome = Type.Object(
  {
    text: ref(LanguageMap),
    escoSkills: Type.Optional(Type.Array(EscoSkill, { maxItems: 50, uniqueItems: true })),
  },
  { $id: 'LearningOutcome', additionalProperties: false },
)

const DeclaredBody = {
  name: ref(LanguageMap),
  country: Type.Optional(ref(CountryCode)),
  homepage: Type.Optional({ ...HttpUrl, description: 'The offer\'s page (an ELM learning opportunity needs one)' }),
}

export const AwardingBody = Type.Union(
  [
    Type.Object(
      { schac: ref(SchacCode) },
      {
        additionalProperties: false,
        description:
          'A registered institution. Another institution than the provider must confirm it co-awards the offer ' +
          '(PUT /v1/offers/{id}/awarding-bodies/{schac} with its own key); until then the offer is listed under the provider alone',
      },
    ),
    Type.Object(DeclaredBody, {
      additionalProperties: false,
      description: 'A body not registered here, declared by the provider (it cannot confirm: the offer says so)',
    }),
  ],
  { $id: 'AwardingBody' },
)

export const AWARDING_ANSWERS = ['pending', 'confirmed', 'declined'] as const
export type AwardingAnswer = (typeof AWARDING_ANSWERS)[number]

/** An awarding body as the catalogue shows it: who stands behind the name. */
export const ListedAwardingBody = Type.Union(
  [
    Type.Object(
      {
        schac: ref(SchacCode),
        status: Type.Enum(['provider', ...AWARDING_ANSWERS] as const, {
          description:
            'provider: the offering institution itself; confirmed: the institution has confirmed it co-awards the offer; ' +
            'pending: it has not answered yet; declined: it has declined. Only the provider and confirmed institutions ' +
            'count as awarding bodies in listings, filters and exports',
        }),
      },
      { additionalProperties: false, description: 'A registered institution' },
    ),
    Type.Object(
      { ...DeclaredBody, status: Type.Literal('declared', { description: 'Named by the provider alone' }) },
      { additionalProperties: false, description: 'A body not registered here, declared by the provider' },
    ),
  ],
  { $id: 'ListedAwardingBody' },
)
export type ListedAwardingBody = Static<typeof ListedAwardingBody>

export const Assessment = Type.Object(
  {
    type: Type.Enum(ASSESSMENT_CODES, { description: 'One of the 14 ELM learning assessment types' }),
    description: Type.Optional(ref(LanguageMap)),
    mode: Type.Optional(Type.Enum(PARTICIPATION_CODES, { description: 'How the assessment takes place (ELM mode of learning and assessment)' })),
  },
  { $id: 'Assessment', additionalProperties: false },
)

export const QualityAssurance = Type.Object(
  {
    type: Type.Enum(QA_TYPES),
    description: Type.Optional(ref(LanguageMap)),
    agency: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 300 }),
          deqarAgencyId: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'DEQAR agency id' })),
          deqarReportId: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'DEQAR report id' })),
          reportUrl: Type.Optional({ ...HttpUrl, description: 'The review report, where it has no DEQAR id' }),
          country: Type.Optional(ref(CountryCode)),
        },
        { additionalProperties: false, description: 'The external QA agency (required for external QA)' },
      ),
    ),
    level: Type.Optional(
      Type.Enum(QA_LEVELS, {
        description: 'What the external review accredits: the institution, or this programme (an ELM accreditation type)',
      }),
    ),
    validUntil: Type.Optional(DateInput({ description: 'The last day the accreditation holds (YYYY-MM-DD)' })),
  },
  {
    $id: 'QualityAssurance',
    additionalProperties: false,
    description: 'Annex I element 11, and the accreditation record an ELM export states (level, agency, report, valid until)',
  },
)

export const Stackability = Type.Object(
  {
    mode: Type.Enum(['stand_alone', 'stackable'] as const),
    towards: Type.Optional(
      Type.Array(
        Type.Object(
          {
            offerId: Type.Optional(Uuid({ description: 'An offer in this catalogue' })),
            title: Type.Optional(ref(LanguageMap)),
            url: Type.Optional(HttpUrl),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        { minItems: 1, maxItems: 20, description: 'What it stacks towards (for stackable offers)' },
      ),
    ),
  },
  { $id: 'Stackability', additionalProperties: false },
)

/**
 * Everything the provider states about an offer. A draft may leave Annex I elements out;
 * publishing requires them (see `compliance`).
 */
const contentProperties = {
  title: Type.Optional(ref(LanguageMap)),
  description: Type.Optional(ref(LanguageMap)),
  issuerCountries: Type.Optional(
    Type.Array(ref(CountryCode), {
      minItems: 1,
      maxItems: 30,
      uniqueItems: true,
      description:
        'Defaults to the institution\'s country. Each is an ISO 3166-1 code the EU\'s country list has (else 422, ' +
        'COUNTRY_UNKNOWN), and the country of the provider, of a registered institution named in ' +
        'awardingBodies, or of a body declared there by name (else 422, ISSUER_COUNTRY_WITHOUT_BODY); a country only a ' +
        'named institution stands for is listed once that institution confirms',
    }),
  ),
  awardingBodies: Type.Optional(
    Type.Array(ref(AwardingBody), {
      minItems: 1,
      maxItems: 20,
      description: 'Defaults to the institution itself. Registered institutions other than the provider are asked to confirm',
    }),
  ),
  learningOutcomes: Type.Optional(Type.Array(ref(LearningOutcome), { maxItems: 100 })),
  ects: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 60,
      description: 'ECTS credits: at least 0.1 (CREDITS_MINIMUM), at most two decimals written out (CREDITS_PRECISION: 2.5, not 1e-9)',
    }),
  ),
  workloadHours: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 2000,
      description:
        'Notional hours of work: at least 1 (HOURS_MINIMUM), at most two decimals written out (HOURS_PRECISION); ' +
        'with ects, 20–36 hours per credit',
    }),
  ),
  eqfLevel: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 8 }), Type.Literal('not_applicable')], {
      description: 'EQF level 1–8, or "not_applicable"',
    }),
  ),
  qfEheaCycle: Type.Optional(Type.Enum(QF_EHEA_CYCLES.map((cycle) => cycle.code))),
  assessments: Type.Optional(Type.Array(ref(Assessment), { maxItems: 20 })),
  participation: Type.Optional(Type.Array(Type.Enum(PARTICIPATION_CODES), { maxItems: 6, uniqueItems: true })),
  qualityAssurance: Type.Optional(ref(QualityAssurance)),
  prerequisites: Type.Optional(ref(LanguageMap)),
  supervision: Type.Optional(Type.Enum(SUPERVISION_CODES)),
  gradingScheme: Type.Optional(ref(LanguageMap)),
  stackability: Type.Optional(ref(Stackability)),
  homepage: Type.Optional({ ...HttpUrl, description: 'The offer\'s page (an ELM learning opportunity needs one)' }),
  furtherInformation: Type.Optional(ref(LanguageMap)),
  iscedFields: Type.Optional(Type.Array(IscedCode, { maxItems: 10, uniqueItems: true })),
  languages: Type.Optional(
    Type.Array(LanguageTag, {
      maxItems: 20,
      uniqueItems: true,
      description:
        'Languages of instruction, as BCP 47 tags whose primary subtag is an ISO 639-1 code the EU\'s language list has ' +
        '(else 422, LANGUAGE_UNKNOWN)',
    }),
  ),
  startDate: Type.Optional(DateOnly),
  endDate: Type.Optional(DateOnly),
  applicationDeadline: Type.Optional(DateOnly),
  learningOpportunityType: Type.Optional(Type.Enum(LEARNING_OPPORTUNITY_CODES)),
  learningSetting: Type.Optional(Type.Enum(LEARNING_SETTING_CODES, { description: 'Formal or non-formal learning (ELM learning setting)' })),
  nqfLevels: Type.Optional(
    Type.Array(NqfLevel, {
      maxItems: 10,
      uniqueItems: true,
      description: 'Levels of national qualifications frameworks, beside the EQF level (an ELM qualification needs one)',
    }),
  ),
  issuerRegions: Type.Optional(
    Type.Array(NutsRegion, {
      maxItems: 30,
      uniqueItems: true,
      description:
        'Regions of the issuer where its country is not precise enough (Annex I element 3): NUTS codes the EU\'s list has ' +
        '(else 422, NUTS_UNKNOWN), each in an issuer country (else 422, REGION_OUTSIDE_ISSUER_COUNTRIES)',
    }),
  ),
}

export const OfferContent = Type.Object(contentProperties, { additionalProperties: false })
export type OfferContent = Static<typeof OfferContent>

/** What an export of an offer is made of (see CatalogueService.getExportContent). */
export interface ExportContent {
  institution: string
  content: OfferContent
  /** Co-awarding institutions that confirmed. */
  coAwarding: string[]
}

const AllianceList = (description: string) => Type.Array(AllianceSlug, { maxItems: 20, uniqueItems: true, description })

/** A complete offer, with the elements an ELM export needs: the example of OfferInput and of a sync. */
const EXAMPLE_OFFER = {
  title: { en: 'Data literacy for researchers', it: 'Alfabetizzazione ai dati per la ricerca' },
  description: { en: 'Find, clean, analyse and share research data responsibly.' },
  learningOutcomes: [
    { text: { en: 'Clean and document a research dataset' } },
  ],
  ects: 3,
  workloadHours: 75,
  eqfLevel: 7,
  qfEheaCycle: 'second',
  nqfLevels: ['http://data.europa.eu/snb/qdr/c_0fe2b814'],
  assessments: [{ type: 'project', mode: 'online' }],
  participation: ['online'],
  learningSetting: 'non_formal',
  qualityAssurance: {
    type: 'internal_and_external',
    agency: { name: 'ANVUR – Agenzia Nazionale di Valutazione del Sistema Universitario e della Ricerca', country: 'IT' },
    level: 'institutional',
    validUntil: '2029-12-31',
  },
  homepage: 'https://www.unibo.it/en',
  iscedFields: ['0542'],
  languages: ['en', 'it'],
  issuerRegions: ['ITH55'],
  status: 'published',
}

export const OfferInput = Type.Object(
  {
    ...contentProperties,
    status: Type.Optional(
      Type.Enum(['draft', 'published'] as const, {
        description: 'Desired status; default published (which requires every Annex I element)',
      }),
    ),
    alliances: Type.Optional({
      ...AllianceList(
        'Ignored: an offer is offered in the alliances its institution belongs to, as they are now (see Offer.alliances). ' +
          'Accepted so that clients which sent it keep working; a later version of the API will refuse it.',
      ),
      deprecated: true,
    }),
  },
  { $id: 'OfferInput', additionalProperties: false, examples: [EXAMPLE_OFFER] },
)
export type OfferInput = Static<typeof OfferInput>

export const MissingElement = Type.Object(
  {
    element: Type.String({ description: 'The Annex I element, by name' }),
    number: Type.Integer({ description: 'Its number in Annex I of the Council Recommendation' }),
    field: Type.String({ description: 'JSON Pointer of the offer field that states it' }),
    detail: Type.String(),
  },
  { $id: 'MissingElement', additionalProperties: false },
)

export const Compliance = Type.Object(
  {
    complete: Type.Boolean({ description: 'Whether every mandatory Annex I element is stated' }),
    missing: Type.Array(ref(MissingElement)),
    violations: Type.Array(ref(FieldErrorSchema), {
      description:
        'Values that break a rule of now which did not exist when they were written (a rule that tightens never ' +
        'breaks an unchanged write: re-sending the same content changes nothing). A write that changes the content ' +
        'must fix them',
    }),
  },
  { $id: 'Compliance', additionalProperties: false },
)
/** What is stored with each version: Annex I completeness. Violations are checked when read, against the rules of now. */
export type Compliance = Omit<Static<typeof Compliance>, 'violations'>

const TargetReadiness = Type.Object(
  {
    ready: Type.Boolean({ description: 'Whether the offer can be exported to this target' }),
    missing: Type.Array(
      Type.Object(
        {
          field: Type.String({ description: 'JSON Pointer of the offer field to state or correct' }),
          detail: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export const ExportReadiness = Type.Object(
  {
    elm: { ...TargetReadiness, description: 'ELM (Europass, European Digital Credentials): what the LOQ profile requires' },
    ob3: { ...TargetReadiness, description: 'Open Badges 3.0 Achievement: what the specification requires' },
  },
  {
    $id: 'ExportReadiness',
    additionalProperties: false,
    description: 'Per export target, whether the offer can be exported and what to add first. Checked when read, like violations',
  },
)
export type ExportReadiness = Static<typeof ExportReadiness>

const serverProperties = {
  id: Uuid(),
  institution: ref(SchacCode),
  externalId: ExternalId,
  version: Type.Integer({ minimum: 1, maximum: INT32_MAX }),
  compliance: ref(Compliance),
  exportReadiness: ref(ExportReadiness),
}

export const Offer = Type.Object(
  {
    ...serverProperties,
    status: Type.Enum(OFFER_STATUSES),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    publishedAt: nullable(Timestamp),
    withdrawnAt: nullable(Timestamp),
    ...contentProperties,
    issuerCountries: Type.Array(ref(CountryCode), {
      description:
        'The issuer countries the offer is listed and filtered under: those stated that the provider, a confirmed ' +
        'co-awarding institution or a body declared by name stands for',
    }),
    awardingBodies: Type.Array(ref(ListedAwardingBody), { description: 'The awarding bodies stated, each with who stands behind it' }),
    alliances: AllianceList('The alliances the offering institution belongs to now (they are not part of the versioned content)'),
  },
  {
    $id: 'Offer',
    additionalProperties: false,
    examples: [OFFER_EXAMPLE],
    description:
      'The current state of an offer. When the alliances or an awarding body\'s answer change, the offer changes (ETag, ' +
      'updatedAt, a change-feed entry) without a new version.',
  },
)
export type Offer = Static<typeof Offer>

export const OfferVersion = Type.Object(
  {
    ...serverProperties,
    createdAt: Type.String({ format: 'date-time', description: 'When this version was made' }),
    publishedAt: nullable(Timestamp, { description: 'When this version was first published' }),
    ...contentProperties,
  },
  {
    $id: 'OfferVersion',
    additionalProperties: false,
    examples: [OFFER_VERSION_EXAMPLE],
    description: 'One version of an offer\'s content, exactly as the provider stated it (awarding bodies and issuer countries as named)',
  },
)
export type OfferVersion = Static<typeof OfferVersion>

export const OfferPage = Type.Object(page(ref(Offer)).properties, { $id: 'OfferPage', additionalProperties: false, examples: pageExamples(OFFER_EXAMPLE) })
export const OfferVersionPage = Type.Object(page(ref(OfferVersion)).properties, {
  $id: 'OfferVersionPage',
  additionalProperties: false,
  examples: pageExamples(OFFER_VERSION_EXAMPLE),
})

export const OFFER_SORTS = ['relevance', 'createdAt', 'updatedAt', '-updatedAt', 'ects', '-ects', 'title', '-title'] as const
export type OfferSort = (typeof OFFER_SORTS)[number]

export const OfferSearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_SEARCH_TEXT_LENGTH,
        description:
          `Full-text search in every language: words, "quoted phrases", -excluded words, or. At most ${MAX_SEARCH_WORDS} words, ` +
          `${MAX_PHRASE_WORDS} in a phrase, and a word that is not excluded in every alternative`,
      }),
    ),
    institution: Type.Optional(Type.String({ maxLength: 253, description: 'SCHAC code of the offering institution' })),
    alliance: Type.Optional({ ...AllianceSlug, description: 'An alliance the offering institution belongs to now' }),
    country: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        description: 'An issuer country the offer is listed under (see Offer.issuerCountries: not one only a pending co-awarding body stands for)',
      }),
    ),
    eqfLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    ectsMin: Type.Optional(Type.Number({ minimum: 0, maximum: 60 })),
    ectsMax: Type.Optional(Type.Number({ minimum: 0, maximum: 60 })),
    iscedField: Type.Optional(Type.String({ pattern: '^[0-9]{2,4}$', description: 'ISCED-F code; matches narrower fields too' })),
    language: Type.Optional(LanguageTag),
    participation: Type.Optional(Type.Enum(PARTICIPATION_CODES)),
    qaType: Type.Optional(Type.Enum(QA_TYPES)),
    stackable: Type.Optional(Type.Boolean()),
    startsAfter: Type.Optional(DateInput({ description: 'Starts on or after this date (YYYY-MM-DD)' })),
    openNow: Type.Optional(
      Type.Literal(true, {
        description: 'Only offers with a run open for application today (UTC): today within its application window. The run filters (openNow, startsFrom, startsUntil, mode, hasPlaces, openTo) all apply to one same run',
      }),
    ),
    startsFrom: Type.Optional(DateInput({ description: 'Only offers with a run starting on or after this date' })),
    startsUntil: Type.Optional(DateInput({ description: 'Only offers with a run starting on or before this date' })),
    mode: Type.Optional(Type.Enum(PARTICIPATION_CODES, { description: 'Only offers with a run of this mode' })),
    hasPlaces: Type.Optional(Type.Literal(true, { description: 'Only offers with a run whose provider states places are left' })),
    openTo: Type.Optional(
      Type.String({
        pattern: SCHAC_PATTERN,
        maxLength: 253,
        description:
          'SCHAC code: only offers with a run open to students of that institution (open to anyone; to alliance students, and the ' +
          'institution shares an alliance with the offer\'s; or to institutions that list it)',
      }),
    ),
    updatedSince: Type.Optional(DateTimeInput()),
    sort: Type.Optional(
      Type.Enum(OFFER_SORTS, {
        description:
          'Order: relevance (default with q), createdAt (default otherwise; stable while offers change), updatedAt, ects, title; "-" for descending. ' +
          'Relevance scores every match before the first page is known, so its cost grows with the number of matches (a common word in a ' +
          'large catalogue: tens of milliseconds), and a deep page costs all the matches before it; with q, createdAt walks an index and ' +
          'stays fast whatever the catalogue size. Pages by relevance walk every match exactly once while the catalogue does not change; ' +
          'where the service ranks in a RUM index, offers of equal relevance can change places when an offer matching the search is written ' +
          'between two pages, so one may show twice or not at all: createdAt is the exact walk.',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type OfferSearchQuery = Static<typeof OfferSearchQuery>

export const MAX_RUNS_PER_OFFER = 100

export const SyncOffer = Type.Object(
  {
    externalId: ExternalId,
    ...OfferInput.properties,
    runs: Type.Optional(
      Type.Array(ref(SyncRun), {
        maxItems: MAX_RUNS_PER_OFFER,
        description:
          'The offer\'s whole set of runs: given, runs not listed are deleted; absent, its runs are left as they are. Checked with the ' +
          'offer (a run breaking a rule rejects the sync, with pointers such as /runs/0/endDate); each runId once (RUN_ID_DUPLICATE)',
      }),
    ),
  },
  { $id: 'SyncOffer', additionalProperties: false, description: 'An offer as in PUT, with the provider\'s id for it' },
)
export type SyncOffer = Static<typeof SyncOffer>

export const SYNC_MODES = ['upsert', 'replace'] as const
export const MAX_SYNC_OFFERS = 10_000

export const SyncRequest = Type.Object(
  {
    mode: Type.Enum(SYNC_MODES, {
      description: 'upsert: create or update the offers given; replace: also withdraw published offers not given',
    }),
    offers: Type.Array(ref(SyncOffer), { maxItems: MAX_SYNC_OFFERS }),
  },
  {
    $id: 'SyncRequest',
    additionalProperties: false,
    examples: [{ mode: 'upsert', offers: [{ externalId: 'MC-DATA-2026', ...EXAMPLE_OFFER, runs: [{ runId: '2027-SPRING', ...EXAMPLE_ONLINE_RUN }] }] }],
  },
)
export type SyncRequest = Static<typeof SyncRequest>

export const SyncItem = Type.Object(
  {
    externalId: ExternalId,
    id: nullable(Uuid(), { description: 'Null for offers a dry run would create' }),
    version: nullable(Type.Integer(), { description: 'Content version after the sync' }),
  },
  { $id: 'SyncItem', additionalProperties: false },
)
export type SyncItem = Static<typeof SyncItem>

export const SyncSummary = Type.Object(
  {
    mode: Type.Enum(SYNC_MODES),
    dryRun: Type.Boolean({ description: 'True when nothing was written' }),
    created: Type.Array(ref(SyncItem)),
    updated: Type.Array(ref(SyncItem), { description: 'New content version, or republished' }),
    unchanged: Type.Array(ref(SyncItem), { description: 'Identical content and status: nothing written' }),
    withdrawn: Type.Array(ref(SyncItem)),
    runs: ref(RunSyncCounts),
  },
  { $id: 'SyncSummary', additionalProperties: false, examples: [SYNC_SUMMARY_EXAMPLE] },
)
export type SyncSummary = Static<typeof SyncSummary>

export const InvalidSyncOffer = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    externalId: nullable(Type.String()),
    code: Type.String({ examples: ['OFFER_INCOMPLETE'] }),
    errors: Type.Array(ref(FieldErrorSchema)),
  },
  { $id: 'InvalidSyncOffer', additionalProperties: false },
)
export type InvalidSyncOffer = Static<typeof InvalidSyncOffer>

export const AwardingRequest = Type.Object(
  {
    offerId: Uuid(),
    offerInstitution: ref(SchacCode),
    externalId: ExternalId,
    title: Type.Optional(ref(LanguageMap)),
    offerStatus: Type.Enum(OFFER_STATUSES),
    institution: ref(SchacCode),
    status: Type.Enum(AWARDING_ANSWERS),
    requestedAt: Timestamp,
    decidedAt: nullable(Timestamp),
  },
  {
    $id: 'AwardingRequest',
    additionalProperties: false,
    examples: [AWARDING_REQUEST_EXAMPLE],
    description: 'An offer that names an institution as awarding body, and that institution\'s answer',
  },
)
export type AwardingRequest = Static<typeof AwardingRequest>

export const AwardingRequestPage = Type.Object(page(ref(AwardingRequest)).properties, {
  $id: 'AwardingRequestPage',
  additionalProperties: false,
  examples: pageExamples(AWARDING_REQUEST_EXAMPLE),
})

export const AwardingRequestQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(AWARDING_ANSWERS, { description: 'Only requests with this answer (pending: what awaits you)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const AwardingAnswerInput = Type.Object(
  {
    status: Type.Enum(['confirmed', 'declined'] as const, {
      description: 'confirmed: your institution co-awards the offer; declined: it does not. Either may be changed later',
    }),
  },
  { $id: 'AwardingAnswerInput', additionalProperties: false, examples: [{ status: 'confirmed' }] },
)
export type AwardingAnswerInput = Static<typeof AwardingAnswerInput>

export const SyncProblemCounts = Type.Object(
  {
    invalidOffers: Type.Integer({ minimum: 0, description: 'Every invalid offer' }),
    errors: Type.Integer({ minimum: 0, description: 'Every field error' }),
    byCode: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Invalid offers per code' }),
    byOffer: Type.Array(
      Type.Object(
        { index: Type.Integer({ minimum: 0 }), externalId: nullable(Type.String()), code: Type.String(), errors: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
      { description: 'The invalid offers left out of invalidOffers, or cut short there, with their number of errors' },
    ),
  },
  {
    $id: 'SyncProblemCounts',
    additionalProperties: false,
    description: 'With `truncated: true` on a rejected sync: the whole of what the report lists only in part',
  },
)
export type SyncProblemCounts = Static<typeof SyncProblemCounts>

export const SyncProblem = Type.Object(
  {
    ...Problem.properties,
    invalidOffers: Type.Optional(
      Type.Array(ref(InvalidSyncOffer), { description: 'With SYNC_REJECTED: the invalid offers, by index in the request (the first 100 field errors in full)' }),
    ),
    truncated: Type.Optional(Type.Literal(true, { description: 'Some errors or offers are only counted, in `counts`' })),
    counts: Type.Optional(ref(SyncProblemCounts)),
  },
  {
    $id: 'SyncProblem',
    additionalProperties: true,
    examples: [SYNC_PROBLEM_EXAMPLE],
    description:
      'A sync refused with 422: SYNC_REJECTED when offers are invalid (nothing was written; `errors` holds the reported field errors, ' +
      'with pointers into the request body), or IDEMPOTENCY_KEY_REUSED',
  },
)

export const SearchIndexStatus = Type.Object(
  {
    ranking: Type.Union([Type.Literal('rum'), Type.Literal('ts_rank_cd')], {
      description: 'How searches by relevance rank in this process: inside the RUM index, or by ts_rank_cd over every match (read at start-up)',
    }),
    pending: Type.Integer({ minimum: 0, description: 'Offers whose written changes the search indexer has not yet copied for ranked search' }),
    oldestQueuedAt: nullable(Timestamp, { description: 'When the longest-waiting of them was queued; null when none waits' }),
    lagSeconds: Type.Number({ minimum: 0, description: 'How long ago that was, by the database clock: how far ranked search is behind the catalogue (0 when none waits)' }),
  },
  {
    $id: 'SearchIndexStatus',
    additionalProperties: false,
    examples: [{ ranking: 'rum', pending: 0, oldestQueuedAt: null, lagSeconds: 0 }],
  },
)
export type SearchIndexStatus = Static<typeof SearchIndexStatus>

export const SearchIndexRepair = Type.Object(
  {
    queued: Type.Integer({
      minimum: 0,
      description: 'Offers found with a ranking copy missing, out of date or no longer wanted, and queued for the indexer (offers already queued are not counted)',
    }),
  },
  { $id: 'SearchIndexRepair', additionalProperties: false, examples: [{ queued: 0 }] },
)
export type SearchIndexRepair = Static<typeof SearchIndexRepair>

export const catalogueSchemas = [
  SearchIndexStatus,
  SearchIndexRepair,
  ...runSchemas,
  SyncProblemCounts,
  SyncProblem,
  ListedAwardingBody,
  AwardingRequest,
  AwardingRequestPage,
  AwardingAnswerInput,
  SyncOffer,
  SyncRequest,
  SyncItem,
  SyncSummary,
  InvalidSyncOffer,
  LearningOutcome,
  AwardingBody,
  Assessment,
  QualityAssurance,
  Stackability,
  OfferInput,
  MissingElement,
  Compliance,
  ExportReadiness,
  Offer,
  OfferVersion,
  OfferPage,
  OfferVersionPage,
]
