import { DNS_NAMESPACE, uuidV5 } from '../../lib/uuid.js'
import { iso6392Of } from '../../vocabularies/index.js'
import type { PublishedOffer } from '../catalogue/index.js'
import type { Run } from './run-source.js'

// The OOAPI v5 view of the catalogue: pure mappers from our model to OOAPI's objects
// (Organization, Course, CourseOffering). What OOAPI has no field for travels in `ext`.

/** An OOAPI LanguageTypedString: one text and the language it is in. */
export interface LanguageTypedString {
  language: string
  value: string
}

/** An institution of the registry, as the view reads it. */
export interface ViewedInstitution {
  schac: string
  name: Record<string, string>
  country: string
  website: string | null
  erasmusCode: string | null
  deqarId: string | null
  alliances: string[]
}

/** OOAPI's page of a list (Pagination): page numbers from 1, and whether there is another. */
export interface OoapiPage<T> {
  pageSize: number
  pageNumber: number
  hasPreviousPage: boolean
  hasNextPage: boolean
  items: T[]
}

export type OoapiObject = Record<string, unknown>

/** The language code a LanguageTypedString accepts (`en`, `pt-BR`, `sr-Latn-RS`); other BCP 47 tags keep their primary subtag. */
const OOAPI_LANGUAGE = /^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/
export function ooapiLanguage(tag: string): string {
  const [primary, ...subtags] = tag.split('-')
  const cased = [primary!.toLowerCase(), ...subtags.map((subtag) => (subtag.length === 4 ? subtag[0]!.toUpperCase() + subtag.slice(1).toLowerCase() : subtag.toUpperCase()))]
  const candidate = cased.join('-')
  return OOAPI_LANGUAGE.test(candidate) ? candidate : cased[0]!
}

/** A language map as OOAPI's array of LanguageTypedStrings. */
export function typedStrings(map: Record<string, string>): LanguageTypedString[] {
  return Object.entries(map).map(([tag, value]) => ({ language: ooapiLanguage(tag), value }))
}

/** OOAPI ids are UUIDs: an organization's is the name-based UUID of its SCHAC code (a domain name) in the DNS namespace. */
export function organizationId(schac: string): string {
  return uuidV5(DNS_NAMESPACE, schac)
}

/** ISO 639-2 three letters (OOAPI's teachingLanguage) through the EU language table; `und` (undetermined) when none is stated. */
export function teachingLanguage(tag: string | undefined): string {
  return (tag === undefined ? undefined : iso6392Of(tag)) ?? 'und'
}

const CYCLE_LEVELS: Record<string, string> = { short: 'associate degree', first: 'bachelor', second: 'master', third: 'doctoral' }
const EQF_LEVELS: Record<number, string> = { 5: 'associate degree', 6: 'bachelor', 7: 'master', 8: 'doctoral' }

/** OOAPI's level: from the QF-EHEA cycle, else the EQF level 5–8; `undefined` (OOAPI's own value) otherwise. */
export function ooapiLevel(content: PublishedOffer['content']): string {
  if (content.qfEheaCycle !== undefined) return CYCLE_LEVELS[content.qfEheaCycle]!
  return (typeof content.eqfLevel === 'number' ? EQF_LEVELS[content.eqfLevel] : undefined) ?? 'undefined'
}

/** Our forms of participation as OOAPI's modes of delivery; project-based and lab-based learning have none (see ext). */
const MODES: Record<string, string> = { online: 'online', onsite: 'on campus', blended: 'hybrid', work_based: 'situated' }
export function modesOfDelivery(participation: readonly string[] | undefined): string[] {
  return [...new Set((participation ?? []).flatMap((code) => (code in MODES ? [MODES[code]!] : [])))]
}

/** An institution as an OOAPI Organization. */
export function ooapiOrganization(institution: ViewedInstitution): OoapiObject {
  const otherCodes = [
    ...(institution.erasmusCode === null ? [] : [{ codeType: 'x-erasmus', code: institution.erasmusCode }]),
    ...(institution.deqarId === null ? [] : [{ codeType: 'x-deqar', code: institution.deqarId }]),
  ]
  return {
    organizationId: organizationId(institution.schac),
    primaryCode: { codeType: 'schacHome', code: institution.schac },
    organizationType: 'institute',
    name: typedStrings(institution.name),
    shortName: institution.schac,
    addresses: [{ addressType: 'postal', countryCode: institution.country }],
    ...(institution.website === null ? {} : { link: institution.website }),
    ...(otherCodes.length === 0 ? {} : { otherCodes }),
    ext: { alliances: institution.alliances },
  }
}

/**
 * Our fields with no place in OOAPI's Course: they travel in `ext`, under their own names
 * (README, "OOAPI: for portals and university systems").
 */
const COURSE_EXT_FIELDS = [
  'eqfLevel', 'qfEheaCycle', 'nqfLevels', 'workloadHours', 'iscedFields', 'languages', 'participation', 'assessments',
  'awardingBodies', 'issuerCountries', 'issuerRegions', 'qualityAssurance', 'supervision', 'gradingScheme', 'stackability',
  'furtherInformation', 'learningSetting', 'learningOpportunityType', 'startDate', 'endDate', 'applicationDeadline',
] as const

/** A published offer as an OOAPI Course. */
export function ooapiCourse(offer: PublishedOffer): OoapiObject {
  const { content } = offer
  const title = content.title ?? { en: offer.externalId }
  const ext: Record<string, unknown> = { institution: offer.institution, externalId: offer.externalId, updatedAt: offer.updatedAt.toISOString() }
  for (const field of COURSE_EXT_FIELDS) if (content[field] !== undefined) ext[field] = content[field]
  const modes = modesOfDelivery(content.participation)
  const assessment = (content.assessments ?? []).flatMap((item) => (item.description === undefined ? [] : typedStrings(item.description)))
  return {
    courseId: offer.id,
    primaryCode: { codeType: 'identifier', code: offer.externalId },
    name: typedStrings(title),
    abbreviation: offer.externalId,
    // OOAPI requires a description; an offer without one is described by its title.
    description: typedStrings(content.description ?? title),
    teachingLanguage: teachingLanguage(content.languages?.[0]),
    level: ooapiLevel(content),
    ...(content.ects === undefined ? {} : { studyLoad: { studyLoadUnit: 'ects', value: content.ects } }),
    ...(modes.length === 0 ? {} : { modeOfDelivery: modes }),
    ...(content.iscedFields?.[0] === undefined ? {} : { fieldsOfStudy: content.iscedFields[0] }),
    ...(content.learningOutcomes === undefined ? {} : { learningOutcomes: content.learningOutcomes.map((outcome) => typedStrings(outcome.text)) }),
    ...(content.prerequisites === undefined ? {} : { admissionRequirements: typedStrings(content.prerequisites) }),
    ...(assessment.length === 0 ? {} : { assessment }),
    ...(content.startDate === undefined ? {} : { firstStartDate: content.startDate }),
    ...(content.homepage === undefined ? {} : { link: content.homepage }),
    organization: organizationId(offer.institution),
    ext,
  }
}

/** A run of a published offer as an OOAPI CourseOffering. */
export function ooapiOffering(run: Run, offer: PublishedOffer): OoapiObject {
  const title = offer.content.title ?? { en: offer.externalId }
  const modes = modesOfDelivery([run.mode])
  const ext: Record<string, unknown> = {
    runId: run.runId,
    institution: run.institution,
    mode: run.mode,
    openForApplication: run.openForApplication,
    eligibility: run.eligibility ?? { openTo: 'anyone' },
    updatedAt: run.updatedAt,
  }
  if (run.places?.available !== undefined) ext.placesAvailable = run.places.available
  if (run.location?.campus !== undefined) ext.campus = run.location.campus
  return {
    offeringId: run.id,
    primaryCode: { codeType: 'offeringCode', code: run.runId },
    offeringType: 'course',
    name: typedStrings(title),
    abbreviation: offer.externalId,
    description: typedStrings(offer.content.description ?? title),
    teachingLanguage: teachingLanguage(run.language),
    ...(modes.length === 0 ? {} : { modeOfDelivery: modes }),
    ...(run.places === undefined ? {} : { maxNumberStudents: run.places.total }),
    // A micro-credential is awarded on an assessed result.
    resultExpected: true,
    ...(run.enrolmentUrl === undefined ? {} : { link: run.enrolmentUrl }),
    startDate: run.startDate,
    endDate: run.endDate,
    ...(run.application === undefined ? {} : { enrollStartDate: run.application.opens, enrollEndDate: run.application.closes }),
    ...(run.location === undefined
      ? {}
      : {
          addresses: [{
            addressType: 'teaching',
            city: run.location.city,
            countryCode: run.location.country,
            ...(run.location.campus === undefined ? {} : { additional: [{ language: 'en', value: run.location.campus }] }),
          }],
        }),
    ...(run.fees === undefined || run.fees.length === 0
      ? {}
      : { priceInformation: run.fees.map((fee) => ({ costType: 'total costs', amount: decimal(fee.amount), currency: fee.currency, ext: { appliesTo: fee.appliesTo } })) }),
    course: offer.id,
    organization: organizationId(offer.institution),
    ext,
  }
}

/** An amount as OOAPI's decimal string (`450`, `12.5`). */
function decimal(amount: number): string {
  return String(Number(amount.toFixed(2)))
}

/** A page of OOAPI's list: `rows` holds up to one more than the page size, which tells that another page exists. */
export function ooapiPage<T>(rows: T[], pageSize: number, pageNumber: number): OoapiPage<T> {
  return { pageSize, pageNumber, hasPreviousPage: pageNumber > 1, hasNextPage: rows.length > pageSize, items: rows.slice(0, pageSize) }
}
