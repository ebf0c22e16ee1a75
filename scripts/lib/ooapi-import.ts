// Maps an OOAPI v5 Course (and its CourseOfferings) to an offer of the sync body (and its runs,
// in the run shape), saying what could not be mapped and which Annex I elements are missing.
// Pure: no network, no database. Everything read is treated as untrusted.
import { checkCompliance, type OfferInput } from '../../src/modules/catalogue/index.js'
import type { SyncRun } from '../../src/modules/catalogue/index.js'
import { iso6391Of, isIscedField } from '../../src/vocabularies/index.js'

type Json = Record<string, unknown>

export interface ImportedCourse {
  /** The course's id at the endpoint, for the report. */
  courseId: string
  /** How many offerings the endpoint lists for it (each mapped to a run, or reported). */
  offerings: number
  externalId: string
  offer: OfferInput & { externalId: string }
  runs: SyncRun[]
  /** What the course states that could not be mapped (or how a value was read), one line each. */
  unmapped: string[]
  /** Annex I elements the offer lacks: it is imported as a draft until they are stated. */
  missing: string[]
}

const EXTERNAL_ID = /^[A-Za-z0-9._~:-]{1,128}$/
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const HTTPS = /^https:\/\/\S+$/
const HTTP = /^https?:\/\/\S+$/
const MODES: Record<string, SyncRun['mode']> = { online: 'online', 'distance-learning': 'online', 'on campus': 'onsite', hybrid: 'blended', situated: 'work_based' }
const CYCLES: Record<string, string> = { 'associate degree': 'short', bachelor: 'first', master: 'second', doctoral: 'third' }
const APPLIES_TO = ['alliance_students', 'others', 'everyone']
const MAX_TEXT = 4000

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined)

/** OOAPI's LanguageTypedStrings as a language map; entries it cannot hold are reported. */
function languageMap(value: unknown, field: string, unmapped: string[]): Record<string, string> | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) {
    unmapped.push(`${field}: not a list of language-typed strings`)
    return undefined
  }
  const map: Record<string, string> = {}
  for (const entry of value) {
    const language = isObject(entry) && typeof entry.language === 'string' ? entry.language.toLowerCase() : undefined
    const content = isObject(entry) ? text(entry.value) : undefined
    if (language === undefined || !LANGUAGE_TAG.test(language) || content === undefined || content.length > MAX_TEXT) {
      unmapped.push(`${field}: an entry without a usable language and text (${JSON.stringify(entry).slice(0, 80)})`)
      continue
    }
    map[language] ??= content
  }
  return Object.keys(map).length > 0 ? map : undefined
}

function language(code: unknown, field: string, unmapped: string[]): string | undefined {
  if (code === undefined) return undefined
  const found = typeof code === 'string' ? iso6391Of(code) : undefined
  if (found === undefined) unmapped.push(`${field}: ${JSON.stringify(code)} is no ISO 639-2 language with a two-letter code`)
  return found
}

function mode(value: unknown, field: string, unmapped: string[]): Array<SyncRun['mode']> {
  if (value === undefined) return []
  const modes = Array.isArray(value) ? value : [value]
  const known: Array<SyncRun['mode']> = []
  for (const item of modes) {
    const code = typeof item === 'string' ? MODES[item] : undefined
    if (code === undefined) unmapped.push(`${field}: unknown mode of delivery ${JSON.stringify(item)}`)
    else if (!known.includes(code)) known.push(code)
  }
  return known
}

function identifier(entry: unknown): string | undefined {
  const code = isObject(entry) ? text(entry.code) : undefined
  return code !== undefined && EXTERNAL_ID.test(code) ? code : undefined
}

/** A course and its offerings as an offer of the sync body, with its runs. */
export function importCourse(course: Json, offerings: Json[]): ImportedCourse {
  const unmapped: string[] = []
  const courseId = typeof course.courseId === 'string' ? course.courseId : '?'
  const externalId = identifier(course.primaryCode) ?? (typeof course.abbreviation === 'string' && EXTERNAL_ID.test(course.abbreviation) ? course.abbreviation : courseId)
  if (externalId === courseId) unmapped.push('primaryCode and abbreviation: neither is a usable identifier; the courseId is the externalId')
  const offer: OfferInput & { externalId: string } = { externalId }

  const title = languageMap(course.name, 'name', unmapped)
  if (title) offer.title = title
  const description = languageMap(course.description, 'description', unmapped)
  if (description) offer.description = description
  if (Array.isArray(course.learningOutcomes)) {
    const outcomes = course.learningOutcomes.flatMap((outcome, index) => {
      const map = languageMap(outcome, `learningOutcomes/${index}`, unmapped)
      return map ? [{ text: map }] : []
    })
    if (outcomes.length > 0) offer.learningOutcomes = outcomes.slice(0, 100)
  }
  const studyLoad = isObject(course.studyLoad) ? course.studyLoad : undefined
  if (studyLoad !== undefined) {
    const value = typeof studyLoad.value === 'number' && studyLoad.value > 0 ? Math.round(studyLoad.value * 100) / 100 : undefined
    if (value !== undefined && studyLoad.studyLoadUnit === 'ects' && value <= 60) offer.ects = value
    else if (value !== undefined && studyLoad.studyLoadUnit === 'hour' && value <= 2000) offer.workloadHours = value
    else unmapped.push(`studyLoad: ${JSON.stringify(studyLoad)} is not a usable ECTS or hour count`)
  }
  const educationSpecification = isObject(course.educationSpecification) ? course.educationSpecification : undefined
  const eqf = educationSpecification?.levelOfQualification
  if (typeof eqf === 'string' && /^[1-8]$/.test(eqf)) offer.eqfLevel = Number(eqf)
  else unmapped.push('eqfLevel: OOAPI states it on the education specification (levelOfQualification), which this course does not carry' + (eqf === undefined ? '' : ` usably (${JSON.stringify(eqf)})`))
  if (typeof course.level === 'string' && course.level in CYCLES) offer.qfEheaCycle = CYCLES[course.level] as OfferInput['qfEheaCycle']
  else if (course.level !== undefined && course.level !== 'undefined') unmapped.push(`level: ${JSON.stringify(course.level)} has no QF-EHEA cycle`)
  const teaching = language(course.teachingLanguage, 'teachingLanguage', unmapped)
  if (teaching) offer.languages = [teaching]
  const modes = mode(course.modeOfDelivery, 'modeOfDelivery', unmapped)
  if (modes.length > 0) offer.participation = modes as OfferInput['participation']
  if (course.fieldsOfStudy !== undefined) {
    if (typeof course.fieldsOfStudy === 'string' && isIscedField(course.fieldsOfStudy)) offer.iscedFields = [course.fieldsOfStudy]
    else unmapped.push(`fieldsOfStudy: ${JSON.stringify(course.fieldsOfStudy)} is no ISCED-F field`)
  }
  const admission = languageMap(course.admissionRequirements, 'admissionRequirements', unmapped)
  if (admission) offer.prerequisites = admission
  if (typeof course.link === 'string' && HTTP.test(course.link) && course.link.length <= 2000) offer.homepage = course.link
  else if (course.link !== undefined) unmapped.push(`link: ${JSON.stringify(course.link)} is not an http(s) URL`)
  if (typeof course.firstStartDate === 'string' && DATE.test(course.firstStartDate)) offer.startDate = course.firstStartDate

  const runs = offerings.flatMap((offering, index) => {
    const run = importOffering(offering, offer, `offerings/${index}`, unmapped)
    return run ? [run] : []
  })
  const { complete, missing } = checkCompliance(offer)
  offer.status = complete ? 'published' : 'draft'
  return { courseId, offerings: offerings.length, externalId, offer, runs, unmapped, missing: missing.map((element) => `${element.number}. ${element.element} (${element.field}): ${element.detail}`) }
}

/** A CourseOffering as a run in the run shape; undefined (reported) when it lacks what a run needs. */
function importOffering(offering: Json, offer: OfferInput, field: string, unmapped: string[]): SyncRun | undefined {
  const runId = identifier(offering.primaryCode) ?? (typeof offering.offeringId === 'string' && EXTERNAL_ID.test(offering.offeringId) ? offering.offeringId : undefined)
  const { startDate, endDate } = offering
  if (runId === undefined || typeof startDate !== 'string' || !DATE.test(startDate) || typeof endDate !== 'string' || !DATE.test(endDate) || endDate < startDate) {
    unmapped.push(`${field}: left out, without a usable id, startDate and endDate`)
    return undefined
  }
  const modes = mode(offering.modeOfDelivery, `${field}/modeOfDelivery`, unmapped)
  const runMode = modes[0] ?? offer.participation?.[0]
  const runLanguage = language(offering.teachingLanguage, `${field}/teachingLanguage`, unmapped) ?? offer.languages?.[0]
  if (runMode === undefined || runLanguage === undefined) {
    unmapped.push(`${field}: left out, without a mode of delivery or a teaching language`)
    return undefined
  }
  if (offer.participation !== undefined && !offer.participation.includes(runMode as never)) {
    unmapped.push(`${field}: mode ${runMode} is not one of the course's modes of delivery (${offer.participation.join(', ')})`)
  }
  const run: SyncRun = { runId, startDate, endDate, language: runLanguage, mode: runMode }
  const { enrollStartDate: opens, enrollEndDate: closes } = offering
  if (typeof opens === 'string' && DATE.test(opens) && typeof closes === 'string' && DATE.test(closes) && opens <= closes) run.application = { opens, closes }
  if (typeof offering.maxNumberStudents === 'number' && Number.isInteger(offering.maxNumberStudents) && offering.maxNumberStudents >= 0) run.places = { total: offering.maxNumberStudents }
  const address = Array.isArray(offering.addresses) ? offering.addresses.find(isObject) : undefined
  if (runMode !== 'online') {
    const city = text(address?.city)
    const country = typeof address?.countryCode === 'string' && /^[A-Za-z]{2}$/.test(address.countryCode) ? address.countryCode.toUpperCase() : undefined
    if (city === undefined || country === undefined) {
      unmapped.push(`${field}: left out, a ${runMode} run without a city and a two-letter country`)
      return undefined
    }
    run.location = { city, country }
  }
  if (Array.isArray(offering.priceInformation)) {
    const fees = offering.priceInformation.flatMap((cost, index) => {
      const amount = isObject(cost) && typeof cost.amount === 'string' && /^\d+(\.\d+)?$/.test(cost.amount) ? Number(cost.amount) : undefined
      const currency = isObject(cost) && typeof cost.currency === 'string' && /^[A-Z]{3}$/.test(cost.currency) ? cost.currency : undefined
      if (amount === undefined || currency === undefined) {
        unmapped.push(`${field}/priceInformation/${index}: without an amount and an ISO 4217 currency`)
        return []
      }
      const appliesTo = isObject(cost) && isObject(cost.ext) && APPLIES_TO.includes(cost.ext.appliesTo as string) ? cost.ext.appliesTo as 'everyone' : 'everyone'
      return [{ amount, currency, appliesTo }]
    })
    if (fees.length > 0) run.fees = fees
  }
  if (typeof offering.link === 'string' && HTTPS.test(offering.link)) run.enrolmentUrl = offering.link
  return run
}
