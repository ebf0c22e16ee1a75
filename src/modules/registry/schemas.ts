import { Type, type Static } from 'typebox'
import { CountryCode, HttpUrl, LanguageMap, PageQuery, SchacCode, SchacParameter, Timestamp, nullable, page, ref } from '../../schemas.js'

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
  { $id: 'InstitutionInput', additionalProperties: false },
)
export type InstitutionInput = Static<typeof InstitutionInput>

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
  { $id: 'Institution', additionalProperties: false },
)
export type Institution = Static<typeof Institution>

export const InstitutionPage = Type.Object(page(ref(Institution)).properties, {
  $id: 'InstitutionPage',
  additionalProperties: false,
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
  { $id: 'AllianceInput', additionalProperties: false },
)
export type AllianceInput = Static<typeof AllianceInput>

export const Alliance = Type.Object(
  {
    slug: AllianceSlug,
    name: Type.String(),
    website: nullable(Type.String()),
    members: Type.Array(ref(SchacCode)),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Alliance', additionalProperties: false },
)
export type Alliance = Static<typeof Alliance>

export const AlliancePage = Type.Object(page(ref(Alliance)).properties, {
  $id: 'AlliancePage',
  additionalProperties: false,
})

export const AllianceListQuery = Type.Object(
  {
    member: Type.Optional(SchacParameter),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type AllianceListQuery = Static<typeof AllianceListQuery>

export const registrySchemas = [InstitutionInput, Institution, InstitutionPage, AllianceInput, Alliance, AlliancePage]
