import { Type, type TSchema } from 'typebox'
import { Uuid } from '../../schemas.js'
import type { OoapiObject } from './mappers.js'

// Response schemas of the OOAPI view, loose on purpose: the official OOAPI v5 schemas
// (checked in the tests) say what the objects hold; these list the identifying fields and let
// every other field through unchanged (additionalProperties), so that serialisation never
// drops one.

const ORGANIZATION_ID = 'c389c26c-a07e-59e3-b8a5-58ad1d1d17fa'
const COURSE_ID = '0b9a3c1e-6f4d-4e1a-9a51-2f0c6a7d8e90'
const OFFERING_ID = '5f0e7c2a-93b1-4d8e-8c4f-1a2b3c4d5e6f'
const EXAMPLE_ORGANIZATION = {
  organizationId: ORGANIZATION_ID,
  primaryCode: { codeType: 'schacHome', code: 'unibo.it' },
  organizationType: 'institute',
  name: [{ language: 'it', value: 'Alma Mater Studiorum – Università di Bologna' }, { language: 'en', value: 'University of Bologna' }],
  shortName: 'unibo.it',
  addresses: [{ addressType: 'postal', countryCode: 'IT' }],
  link: 'https://www.unibo.it',
  otherCodes: [{ codeType: 'x-erasmus', code: 'I BOLOGNA01' }],
  ext: { alliances: ['una-europa'] },
}
const EXAMPLE_COURSE = {
  courseId: COURSE_ID,
  primaryCode: { codeType: 'identifier', code: 'MC-DATA-2026' },
  name: [{ language: 'en', value: 'Data literacy for researchers' }],
  abbreviation: 'MC-DATA-2026',
  description: [{ language: 'en', value: 'Find, clean, analyse and share research data responsibly.' }],
  teachingLanguage: 'eng',
  level: 'master',
  studyLoad: { studyLoadUnit: 'ects', value: 3 },
  modeOfDelivery: ['online'],
  fieldsOfStudy: '0542',
  learningOutcomes: [[{ language: 'en', value: 'Clean and document a research dataset' }]],
  link: 'https://www.unibo.it/en',
  organization: ORGANIZATION_ID,
  ext: { institution: 'unibo.it', externalId: 'MC-DATA-2026', eqfLevel: 7, workloadHours: 75, languages: ['en', 'it'] },
}
const EXAMPLE_OFFERING = {
  offeringId: OFFERING_ID,
  primaryCode: { codeType: 'offeringCode', code: '2027-spring' },
  offeringType: 'course',
  name: [{ language: 'en', value: 'Data literacy for researchers' }],
  description: [{ language: 'en', value: 'Find, clean, analyse and share research data responsibly.' }],
  teachingLanguage: 'eng',
  modeOfDelivery: ['online'],
  maxNumberStudents: 40,
  resultExpected: true,
  startDate: '2027-02-01',
  endDate: '2027-05-31',
  enrollStartDate: '2026-11-01',
  enrollEndDate: '2027-01-15',
  priceInformation: [{ costType: 'total costs', amount: '450', currency: 'EUR', ext: { appliesTo: 'others' } }],
  course: COURSE_ID,
  organization: ORGANIZATION_ID,
  ext: { runId: '2027-spring', institution: 'unibo.it', mode: 'online', openForApplication: false, eligibility: { openTo: 'anyone' }, placesAvailable: 12 },
}

const loose = (description: string, id: string, example: object) =>
  Type.Unsafe<OoapiObject>(Type.Object({ [id]: Uuid() }, { additionalProperties: true, description, examples: [example] }) as TSchema)

export const OoapiOrganization = loose(
  'An institution as an OOAPI v5 Organization. organizationId is the name-based UUID (v5) of the SCHAC code in the DNS namespace; ' +
    'ext: alliances (the alliances it belongs to)',
  'organizationId',
  EXAMPLE_ORGANIZATION,
)
export const OoapiCourse = loose(
  'A published offer as an OOAPI v5 Course (courseId = the offer id, abbreviation = the provider\'s externalId). ext: institution, ' +
    'externalId, updatedAt and the offer\'s fields OOAPI has no place for, under their own names (eqfLevel, qfEheaCycle, nqfLevels, ' +
    'workloadHours, iscedFields, languages, participation, assessments, awardingBodies, issuerCountries, issuerRegions, ' +
    'qualityAssurance, supervision, gradingScheme, stackability, furtherInformation, learningSetting, learningOpportunityType, ' +
    'startDate, endDate, applicationDeadline)',
  'courseId',
  EXAMPLE_COURSE,
)
export const OoapiOffering = loose(
  'A run of a published offer as an OOAPI v5 CourseOffering. ext: runId, institution, mode (our participation code), ' +
    'openForApplication, eligibility, placesAvailable, campus, updatedAt; each priceInformation entry\'s ext.appliesTo says for whom ' +
    '(alliance_students, others, everyone)',
  'offeringId',
  EXAMPLE_OFFERING,
)

const pageOf = (items: ReturnType<typeof loose>, example: object) =>
  Type.Object(
    {
      pageSize: Type.Integer(),
      pageNumber: Type.Integer({ minimum: 1 }),
      hasPreviousPage: Type.Boolean(),
      hasNextPage: Type.Boolean(),
      items: Type.Array(items),
    },
    { additionalProperties: false, description: 'An OOAPI page', examples: [{ pageSize: 10, pageNumber: 1, hasPreviousPage: false, hasNextPage: false, items: [example] }] },
  )
export const OrganizationPage = pageOf(OoapiOrganization, EXAMPLE_ORGANIZATION)
export const CoursePage = pageOf(OoapiCourse, EXAMPLE_COURSE)
export const OfferingPage = pageOf(OoapiOffering, EXAMPLE_OFFERING)

export const OoapiService = Type.Object(
  {
    contactEmail: Type.String({ format: 'email' }),
    specification: Type.String({ format: 'uri', description: 'This API\'s OpenAPI document (the OOAPI routes are tagged OOAPI)' }),
    documentation: Type.String({ format: 'uri' }),
  },
  {
    additionalProperties: false,
    description: 'The OOAPI v5 service root',
    examples: [{ contactEmail: 'catalogue@example.eu', specification: 'https://api.example.eu/openapi.json', documentation: 'https://api.example.eu/docs' }],
  },
)

export const PAGE_SIZES = [10, 20, 50, 100, 250]
/** Deep pages cost the database an offset scan: beyond 10 000 × 250 rows, a client walks another way. */
export const MAX_PAGE_NUMBER = 10_000
export const PagingQuery = Type.Object(
  {
    pageSize: Type.Integer({ enum: PAGE_SIZES, default: 10, description: 'OOAPI\'s page sizes: 10, 20, 50, 100 or 250', examples: [10] }),
    pageNumber: Type.Integer({ minimum: 1, maximum: MAX_PAGE_NUMBER, default: 1, description: 'From 1', examples: [1] }),
  },
  { additionalProperties: false },
)
export const OrganizationParams = Type.Object({ organizationId: Uuid() }, { additionalProperties: false })
export const CourseParams = Type.Object({ courseId: Uuid() }, { additionalProperties: false })
export const OfferingParams = Type.Object({ offeringId: Uuid() }, { additionalProperties: false })
