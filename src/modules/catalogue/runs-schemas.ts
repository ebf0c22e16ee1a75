import { Type, type Static } from 'typebox'
import { CountryCode, DateInput, SchacCode, Timestamp, Uuid, page, pageExamples, ref } from '../../schemas.js'
import { PARTICIPATION_CODES } from '../../vocabularies/index.js'

// A run (OOAPI "offering") of an offer: when and where it takes place, and who may enrol.

export const RunId = Type.String({
  pattern: '^[A-Za-z0-9._~:-]{1,128}$',
  description:
    'The provider\'s own identifier of the run (URL-safe, up to 128 characters, as an offer\'s externalId). An id made only of ' +
    'dots is refused (422, RUN_ID_DOTS)',
  examples: ['2027-SPRING'],
})

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const
export const FEE_AUDIENCES = ['alliance_students', 'others', 'everyone'] as const
export const RUN_OPEN_TO = ['alliance_students', 'institutions', 'anyone'] as const

const IsoLanguage = Type.String({
  pattern: '^[a-z]{2}$',
  description: 'ISO 639-1 code the EU\'s language list has (else 422, LANGUAGE_UNKNOWN)',
  examples: ['en'],
})

export const RunApplication = Type.Object(
  {
    opens: DateInput({ description: 'First day applications are accepted' }),
    closes: DateInput({ description: 'Last day applications are accepted: on or after opens (RUN_APPLICATION_ORDER), not after endDate (RUN_APPLICATION_AFTER_END)' }),
  },
  { $id: 'RunApplication', additionalProperties: false, examples: [{ opens: '2026-11-01', closes: '2027-01-15' }] },
)

export const RunPlaces = Type.Object(
  {
    total: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Places in the run' }),
    available: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Places left, if the provider says so; at most total (RUN_PLACES_EXCEED_TOTAL)' }),
    ),
  },
  { $id: 'RunPlaces', additionalProperties: false, examples: [{ total: 40, available: 12 }] },
)

export const RunLocation = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 200 }),
    campus: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    country: { ...ref(CountryCode), description: 'ISO 3166-1 code the EU\'s country list has (else 422, COUNTRY_UNKNOWN)' },
  },
  { $id: 'RunLocation', additionalProperties: false, examples: [{ city: 'Bologna', campus: 'Navile', country: 'IT' }] },
)

export const RunFee = Type.Object(
  {
    amount: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'At most two decimals (RUN_FEE_PRECISION)' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code', examples: ['EUR'] }),
    appliesTo: Type.Enum(FEE_AUDIENCES, {
      description: 'Who pays it: each audience once, and `everyone` alone (RUN_FEE_AUDIENCE_OVERLAP)',
    }),
  },
  { $id: 'RunFee', additionalProperties: false, examples: [{ amount: 450, currency: 'EUR', appliesTo: 'others' }] },
)

export const LanguageRequirement = Type.Object(
  {
    language: IsoLanguage,
    cefr: Type.Enum(CEFR_LEVELS, { description: 'Common European Framework of Reference level required' }),
  },
  { $id: 'LanguageRequirement', additionalProperties: false, examples: [{ language: 'en', cefr: 'B2' }] },
)

export const RunEligibility = Type.Object(
  {
    openTo: Type.Enum(RUN_OPEN_TO, {
      description: 'alliance_students: students of the members of the alliances of the offer\'s institution; institutions: of those listed; anyone',
    }),
    institutions: Type.Optional(
      Type.Array(ref(SchacCode), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description:
          'With openTo = institutions only, and then required (RUN_ELIGIBILITY_INSTITUTIONS); each a registered institution (RUN_INSTITUTION_UNKNOWN)',
      }),
    ),
    languageRequirements: Type.Optional(
      Type.Array(ref(LanguageRequirement), { maxItems: 10, description: 'Each language once (RUN_LANGUAGE_REQUIREMENT_DUPLICATE)' }),
    ),
  },
  {
    $id: 'RunEligibility',
    additionalProperties: false,
    examples: [{ openTo: 'institutions', institutions: ['kuleuven.be'], languageRequirements: [{ language: 'en', cefr: 'B2' }] }],
  },
)

const runProperties = {
  startDate: DateInput({ description: 'First day of the run' }),
  endDate: DateInput({ description: 'Last day of the run: on or after startDate (RUN_DATES_ORDER)' }),
  application: Type.Optional(ref(RunApplication)),
  places: Type.Optional(ref(RunPlaces)),
  language: { ...IsoLanguage, description: 'Language of instruction: ISO 639-1 code the EU\'s language list has (else 422, LANGUAGE_UNKNOWN)' },
  mode: Type.Enum(PARTICIPATION_CODES, {
    description: 'How the run takes place: one of the offer\'s `participation` forms (RUN_MODE_NOT_OFFERED)',
  }),
  location: Type.Optional({
    ...ref(RunLocation),
    description: 'Where it takes place: required unless mode is online (RUN_LOCATION_REQUIRED), and omitted for online (RUN_LOCATION_ONLINE)',
  }),
  fees: Type.Optional(Type.Array(ref(RunFee), { maxItems: 3 })),
  enrolmentUrl: Type.Optional(
    Type.String({ format: 'uri', pattern: '^https://', maxLength: 2000, description: 'Where to enrol (https)', examples: ['https://www.unibo.it/apply/2027-spring'] }),
  ),
  eligibility: Type.Optional({ ...ref(RunEligibility), description: 'Who may enrol; { "openTo": "anyone" } when not stated' }),
}

export const EXAMPLE_RUN = {
  startDate: '2027-02-01',
  endDate: '2027-05-31',
  application: { opens: '2026-11-01', closes: '2027-01-15' },
  places: { total: 40, available: 12 },
  language: 'en',
  mode: 'onsite',
  location: { city: 'Bologna', campus: 'Navile', country: 'IT' },
  fees: [
    { amount: 0, currency: 'EUR', appliesTo: 'alliance_students' },
    { amount: 450, currency: 'EUR', appliesTo: 'others' },
  ],
  enrolmentUrl: 'https://www.unibo.it/apply/2027-spring',
  eligibility: { openTo: 'alliance_students', languageRequirements: [{ language: 'en', cefr: 'B2' }] },
}

/** An online run (no location), as in the example of a sync, whose offer is online. */
/** A run as the API shows it */
const RUN_EXAMPLE = {
  id: '0b6f3a52-8f4e-4f0a-9a53-1d3b7c0e2f11',
  offerId: '5f1c2e9a-3b7d-4c8e-9f10-2a3b4c5d6e7f',
  runId: '2027-SPRING',
  institution: 'unibo.it',
  ...EXAMPLE_RUN,
  openForApplication: false,
  updatedAt: '2026-12-01T09:30:00.000Z',
}

export const EXAMPLE_ONLINE_RUN = (({ location: _location, ...run }) => ({ ...run, mode: 'online' }))(EXAMPLE_RUN)

export const RunInput = Type.Object(runProperties, {
  $id: 'RunInput',
  additionalProperties: false,
  description: 'A run of an offer as its provider states it',
  examples: [EXAMPLE_RUN],
})
export type RunInput = Static<typeof RunInput>

export const SyncRun = Type.Object(
  { runId: RunId, ...runProperties },
  {
    $id: 'SyncRun',
    additionalProperties: false,
    description: 'A run in a sync, with the provider\'s id for it',
    examples: [{ runId: '2027-SPRING', ...EXAMPLE_RUN }],
  },
)
export type SyncRun = Static<typeof SyncRun>

export const Run = Type.Object(
  {
    id: Uuid({ description: 'The run\'s own id, made by the service and stable' }),
    offerId: Uuid(),
    runId: RunId,
    institution: ref(SchacCode),
    ...runProperties,
    eligibility: ref(RunEligibility),
    openForApplication: Type.Boolean({
      description: 'Whether today (UTC) is within the application window, computed when read; false when no window is stated',
    }),
    updatedAt: Timestamp,
  },
  {
    $id: 'Run',
    additionalProperties: false,
    examples: [RUN_EXAMPLE],
  },
)
export type Run = Static<typeof Run>

export const RunPage = Type.Object(page(ref(Run)).properties, { $id: 'RunPage', additionalProperties: false, examples: pageExamples(RUN_EXAMPLE) })

export const RunSyncCounts = Type.Object(
  {
    created: Type.Integer({ minimum: 0 }),
    updated: Type.Integer({ minimum: 0 }),
    unchanged: Type.Integer({ minimum: 0 }),
    deleted: Type.Integer({ minimum: 0 }),
  },
  {
    $id: 'RunSyncCounts',
    additionalProperties: false,
    description: 'What the sync did (or, in a dry run, would do) to the runs of the offers that carried `runs`',
    examples: [{ created: 3, updated: 1, unchanged: 4, deleted: 1 }],
  },
)
export type RunSyncCounts = Static<typeof RunSyncCounts>

export const runSchemas = [RunApplication, RunPlaces, RunLocation, RunFee, LanguageRequirement, RunEligibility, RunInput, SyncRun, Run, RunPage, RunSyncCounts]
