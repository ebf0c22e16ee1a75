import { Type, type Static } from 'typebox'
import { CountryCode, HttpUrl, LanguageMap, PageQuery, SchacCode, SchacParameter, Timestamp, nullable, page, pageExamples, ref } from '../../schemas.js'
import { ALLIANCE_EXAMPLE, INSTITUTION_EXAMPLE } from './examples.js'

export const AllianceSlug = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  description: 'Short lower-case identifier of the alliance',
  examples: ['una-europa'],
})

export const ErasmusCode = Type.String({
  pattern: '^[A-Z]{1,3} +[A-Z0-9-]{2,12}$',
  maxLength: 20,
  description: 'Erasmus institution code',
  examples: ['I BOLOGNA01'],
})

export const DeqarInstitutionId = Type.String({
  pattern: '^DEQARINST[0-9]{4,}$',
  maxLength: 32,
  description: 'Institution id in DEQAR, the Database of External Quality Assurance Results',
  examples: ['DEQARINST0001'],
})

export const InstitutionInput = Type.Object(
  {
    name: ref(LanguageMap),
    country: ref(CountryCode),
    website: Type.Optional(nullable(HttpUrl)),
    erasmusCode: Type.Optional(nullable(ErasmusCode)),
    deqarId: Type.Optional(nullable(DeqarInstitutionId)),
  },
  {
    $id: 'InstitutionInput',
    additionalProperties: false,
    examples: [{ name: { en: 'The University of Edinburgh' }, country: 'GB', website: 'https://www.ed.ac.uk' }],
  },
)
export type InstitutionInput = Static<typeof InstitutionInput>

export const InstitutionPatch = Type.Object(
  {
    name: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }),
        nullable(Type.String({ minLength: 1, maxLength: 4000 })),
        { minProperties: 1, maxProperties: 40, additionalProperties: false, description: 'Languages to set, or to remove with null; the others are kept' },
      ),
    ),
    country: Type.Optional(ref(CountryCode)),
    website: Type.Optional(nullable(HttpUrl)),
    erasmusCode: Type.Optional(nullable(ErasmusCode)),
    deqarId: Type.Optional(nullable(DeqarInstitutionId)),
  },
  {
    $id: 'InstitutionPatch',
    additionalProperties: false,
    description: 'JSON Merge Patch (RFC 7396) of an institution: the fields given replace the current ones, null removes one',
    examples: [{ website: 'https://www.unibo.it', name: { fr: 'Université de Bologne' } }],
  },
)
export type InstitutionPatch = Static<typeof InstitutionPatch>

export const Institution = Type.Object(
  {
    schac: ref(SchacCode),
    name: ref(LanguageMap),
    country: ref(CountryCode),
    website: nullable(Type.String()),
    erasmusCode: nullable(Type.String()),
    deqarId: nullable(Type.String()),
    alliances: Type.Array(AllianceSlug, { description: 'Alliances the institution is a member of' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Institution', additionalProperties: false, examples: [INSTITUTION_EXAMPLE] },
)
export type Institution = Static<typeof Institution>

export const InstitutionPage = Type.Object(page(ref(Institution)).properties, {
  $id: 'InstitutionPage',
  additionalProperties: false,
  examples: pageExamples(INSTITUTION_EXAMPLE),
})

export const InstitutionListQuery = Type.Object(
  {
    alliance: Type.Optional(AllianceSlug),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type InstitutionListQuery = Static<typeof InstitutionListQuery>

export const AllianceInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    website: Type.Optional(nullable(HttpUrl)),
    members: Type.Array(ref(SchacCode), {
      maxItems: 100,
      uniqueItems: true,
      description: 'SCHAC codes of the member institutions, which must be registered',
    }),
  },
  {
    $id: 'AllianceInput',
    additionalProperties: false,
    examples: [{ name: 'Dublin–Bologna exchange', website: null, members: ['ucd.ie', 'unibo.it'] }],
  },
)
export type AllianceInput = Static<typeof AllianceInput>

export const AlliancePatch = Type.Object(
  {
    name: Type.Optional(AllianceInput.properties.name),
    website: Type.Optional(nullable(HttpUrl)),
    members: Type.Optional(AllianceInput.properties.members),
  },
  {
    $id: 'AlliancePatch',
    additionalProperties: false,
    description:
      'JSON Merge Patch (RFC 7396) of an alliance: the fields given replace the current ones, null removes the website. ' +
      '`members` replaces the whole list; to add or remove one member, use /v1/alliances/{slug}/members/{schac}',
    examples: [{ website: 'https://www.una-europa.eu' }],
  },
)
export type AlliancePatch = Static<typeof AlliancePatch>

export const Alliance = Type.Object(
  {
    slug: AllianceSlug,
    name: Type.String(),
    website: nullable(Type.String()),
    members: Type.Array(ref(SchacCode)),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Alliance', additionalProperties: false, examples: [ALLIANCE_EXAMPLE] },
)
export type Alliance = Static<typeof Alliance>

export const AlliancePage = Type.Object(page(ref(Alliance)).properties, {
  $id: 'AlliancePage',
  additionalProperties: false,
  examples: pageExamples(ALLIANCE_EXAMPLE),
})

export const AllianceListQuery = Type.Object(
  {
    member: Type.Optional(SchacParameter),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type AllianceListQuery = Static<typeof AllianceListQuery>

export const registrySchemas = [InstitutionInput, InstitutionPatch, Institution, InstitutionPage, AllianceInput, AlliancePatch, Alliance, AlliancePage]
