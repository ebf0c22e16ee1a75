import {
  ASSESSMENT_TYPES,
  COUNTRIES,
  CREDIT_SYSTEMS,
  EQF_LEVELS,
  ISCED_F,
  LANGUAGES,
  LEARNING_OPPORTUNITY_TYPES,
  LEARNING_SETTINGS,
  NQF_LEVELS,
  PARTICIPATION_FORMS,
  QA_LEVELS_VOCABULARY,
  languageUri,
} from '../../vocabularies/index.js'
import type { VocabularyEntry } from '../../vocabularies/elm.js'
import type { ElmVersion } from '../../config.js'
import { elmContext } from './namespace.js'
import type { ExportedOrganisation, ExportSource } from './source.js'

/**
 * One offer as an ELM JSON-LD LearningOpportunity whose learningAchievementSpecification is a
 * Qualification, with its Organisation and Accreditation nodes (the mapping in
 * ../shared/interop/README.md). Total: it maps what the offer states, and what it lacks is
 * missing from the document (see exportReadiness; the routes refuse an offer not ready).
 * ESCO skills are left out: the LOQ rule for them expects a concept scheme the ESCO IRIs do not
 * have. Pure.
 */

type Node = Record<string, unknown>

/** The concept schemes the LOQ shapes require each concept to be in (LOQ-constraints-mdr.ttl). */
const SCHEMES = {
  isced: 'http://data.europa.eu/snb/isced-f/25831c2',
  eqf: 'http://data.europa.eu/snb/eqf/25831c2',
  qdr: 'http://data.europa.eu/snb/qdr/25831c2',
  language: 'http://publications.europa.eu/resource/authority/language',
  country: 'http://publications.europa.eu/resource/authority/country',
  setting: 'http://data.europa.eu/snb/learning-setting/25831c2',
  accreditation: 'http://data.europa.eu/snb/accreditation/25831c2',
  opportunity: 'http://data.europa.eu/snb/learning-opportunity/25831c2',
  mode: 'http://data.europa.eu/snb/learning-assessment/25831c2',
  assessment: 'http://data.europa.eu/snb/assessment/25831c2',
  credit: 'http://data.europa.eu/snb/education-credit/25831c2',
} as const

function concept(uri: string, label: string | undefined, scheme: string): Node {
  return { id: uri, type: 'Concept', inScheme: { id: scheme, type: 'ConceptScheme' }, ...(label ? { prefLabel: { en: label } } : {}) }
}

/** The concept of a code in one of our vocabularies; undefined for a code not in it (see exportReadiness). */
function conceptOf(entries: ReadonlyArray<VocabularyEntry>, code: string, scheme: string): Node[] {
  const entry = entries.find((candidate) => candidate.code === code)
  return entry ? [concept(entry.uri, entry.label, scheme)] : []
}

function languageConcept(tag: string): Node[] {
  const uri = languageUri(tag)
  return uri ? [concept(uri, LANGUAGES.find((entry) => entry.uri === uri)!.label, SCHEMES.language)] : []
}

function webResource(id: string, url: string): Node {
  return { id, type: 'WebResource', contentURL: url }
}

function organisationNode(id: string, name: Record<string, string>, country: string | undefined, website?: string | null): Node {
  const part = (name: string) => `${id}${id.includes('#') ? '-' : '#'}${name}`
  return {
    id,
    type: 'Organisation',
    legalName: name,
    location: [
      {
        id: part('location'),
        type: 'Location',
        address: [{ id: part('address'), type: 'Address', countryCode: country ? conceptOf(COUNTRIES, country, SCHEMES.country) : [] }],
      },
    ],
    ...(website ? { homepage: [webResource(part('homepage'), website)] } : {}),
  }
}

function institution(source: ExportSource, organisation: ExportedOrganisation): Node {
  return organisationNode(`${source.institutionsUri}${organisation.schac}`, organisation.name, organisation.country, organisation.website)
}

/** xsd:duration of a number of hours: 7.5 → PT7H30M (only seconds may be fractional). */
export function hoursDuration(hours: number): string {
  const seconds = Math.round(hours * 3600)
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return `PT${h}H${m ? `${m}M` : ''}${s ? `${s}S` : ''}`
}

function accreditation(source: ExportSource, providerId: string): Node[] {
  const qa = source.content.qualityAssurance
  if (qa?.agency === undefined) return []
  const { agency } = qa
  const id = `${source.uri}#accreditation`
  const level = QA_LEVELS_VOCABULARY.find((entry) => entry.code === qa.level)
  return [
    {
      id,
      type: 'Accreditation',
      dcType: level ? [concept(level.uri, level.label, SCHEMES.accreditation)] : [],
      title: { en: `${level?.label ?? 'Quality Assurance'}: ${agency.name}` },
      ...(qa.description ? { description: qa.description } : {}),
      organisation: [{ id: providerId }],
      accreditingAgent: organisationNode(`${id}-agency`, { en: agency.name }, agency.country),
      ...(agency.reportUrl ? { report: webResource(`${id}-report`, agency.reportUrl) } : {}),
      ...(qa.validUntil ? { expiryDate: `${qa.validUntil}T23:59:59Z` } : {}),
    },
  ]
}

function qualification(source: ExportSource, providerId: string): Node {
  const c = source.content
  const id = `${source.uri}#qualification`
  return {
    id,
    type: 'Qualification',
    title: c.title ?? {},
    ...(c.description ? { description: c.description } : {}),
    thematicArea: (c.iscedFields ?? []).flatMap((code) => conceptOf(ISCED_F, code, SCHEMES.isced)),
    learningOutcome: (c.learningOutcomes ?? []).map((outcome, index) => ({ id: `${id}-outcome-${index + 1}`, type: 'LearningOutcome', title: outcome.text })),
    eqfLevel: typeof c.eqfLevel === 'number' ? conceptOf(EQF_LEVELS, String(c.eqfLevel), SCHEMES.eqf) : [],
    nqfLevel: (c.nqfLevels ?? []).flatMap((iri) => conceptOf(NQF_LEVELS, iri.slice(iri.lastIndexOf('/') + 1), SCHEMES.qdr)),
    ...(c.ects !== undefined
      ? { creditPoint: [{ id: `${id}-credits`, type: 'CreditPoint', framework: conceptOf(CREDIT_SYSTEMS, 'ects', SCHEMES.credit), point: String(c.ects) }] }
      : {}),
    ...(c.workloadHours !== undefined ? { volumeOfLearning: hoursDuration(c.workloadHours) } : {}),
    language: (c.languages ?? []).flatMap(languageConcept),
    mode: (c.participation ?? []).flatMap((code) => conceptOf(PARTICIPATION_FORMS, code, SCHEMES.mode)),
    ...(c.learningSetting ? { learningSetting: conceptOf(LEARNING_SETTINGS, c.learningSetting, SCHEMES.setting) } : {}),
    provenBy: (c.assessments ?? []).map((assessment, index) => {
      const type = ASSESSMENT_TYPES.find((entry) => entry.code === assessment.type)!
      return {
        id: `${id}-assessment-${index + 1}`,
        type: 'LearningAssessmentSpecification',
        title: { en: type.label },
        ...(assessment.description ? { description: assessment.description } : {}),
        dcType: [concept(type.uri, type.label, SCHEMES.assessment)],
        ...(assessment.mode ? { mode: conceptOf(PARTICIPATION_FORMS, assessment.mode, SCHEMES.mode) } : {}),
      }
    }),
    ...(c.prerequisites ? { entryRequirement: { id: `${id}-entry`, type: 'Note', noteLiteral: c.prerequisites } } : {}),
    accreditation: accreditation(source, providerId),
  }
}

/** The offer as an ELM LearningOpportunity, a JSON-LD document with its own context. */
export function elmLearningOpportunity(source: ExportSource, version: ElmVersion): Node {
  const c = source.content
  const providers = [source.provider, ...source.coAwarding].map((organisation) => institution(source, organisation))
  const providerId = providers[0]!.id as string
  const [language] = c.languages ?? []
  return {
    '@context': elmContext(version),
    id: source.uri,
    type: 'LearningOpportunity',
    title: c.title ?? {},
    ...(c.description ? { description: c.description } : {}),
    dcType: conceptOf(LEARNING_OPPORTUNITY_TYPES, c.learningOpportunityType ?? 'short_learning_programme', SCHEMES.opportunity),
    providedBy: providers,
    defaultLanguage: language === undefined ? [] : languageConcept(language),
    mode: (c.participation ?? []).flatMap((code) => conceptOf(PARTICIPATION_FORMS, code, SCHEMES.mode)),
    ...(c.homepage === undefined ? {} : { homepage: [webResource(`${source.uri}#homepage`, c.homepage)] }),
    learningAchievementSpecification: qualification(source, providerId),
  }
}
