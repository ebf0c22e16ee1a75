/**
 * The ELM namespace and the JSON-LD context of every ELM export, in one place. ELM 3.1 is the
 * default: the LOQ shapes the exports are validated against are 3.1, and a document in
 * another namespace matches no shape (it would "conform" unchecked). ELM 3.3 (LOQ AP 1.2.0)
 * moves every class and property to …/model/ontology/, which Europass expects in dataset
 * headers from 2026: the ELM_VERSION setting selects it. Pure.
 */
import type { ElmVersion } from '../../config.js'

export const ELM_NAMESPACES: Readonly<Record<ElmVersion, string>> = {
  3.1: 'http://data.europa.eu/snb/model/elm/',
  3.3: 'http://data.europa.eu/snb/model/ontology/',
}

const DC = 'http://purl.org/dc/terms/'
const SKOS = 'http://www.w3.org/2004/02/skos/core#'
const FOAF = 'http://xmlns.com/foaf/0.1/'
const ROV = 'http://www.w3.org/ns/regorg#'
const XSD = 'http://www.w3.org/2001/XMLSchema#'

type Term = string | { '@id': string; '@type'?: string; '@container'?: '@language' | '@set' }

/**
 * The terms an export uses, self-contained (a reader needs to fetch nothing). For 3.1 each
 * means what the official `edc-ap` context says it means (test/exports-elm.test.ts compares
 * them); `id`, `type` and `defaultLanguage`, which that context lacks, are added.
 */
export function elmContext(version: ElmVersion): Record<string, Term> {
  const elm = ELM_NAMESPACES[version]
  const link = (iri: string): Term => ({ '@id': iri, '@type': '@id' })
  const text = (iri: string): Term => ({ '@id': iri, '@container': '@language' })
  return {
    id: '@id',
    type: '@type',
    LearningOpportunity: `${elm}LearningOpportunity`,
    Qualification: `${elm}Qualification`,
    Organisation: `${elm}Organisation`,
    Accreditation: `${elm}Accreditation`,
    LearningOutcome: `${elm}LearningOutcome`,
    LearningAssessmentSpecification: `${elm}LearningAssessmentSpecification`,
    CreditPoint: `${elm}CreditPoint`,
    WebResource: `${elm}WebResource`,
    Address: `${elm}Address`,
    Note: `${elm}Note`,
    Location: `${DC}Location`,
    Concept: `${SKOS}Concept`,
    ConceptScheme: `${SKOS}ConceptScheme`,
    title: text(`${DC}title`),
    description: text(`${DC}description`),
    prefLabel: text(`${SKOS}prefLabel`),
    legalName: text(`${ROV}legalName`),
    noteLiteral: text(`${elm}noteLiteral`),
    dcType: link(`${DC}type`),
    language: link(`${DC}language`),
    inScheme: link(`${SKOS}inScheme`),
    homepage: link(`${FOAF}homepage`),
    contentURL: { '@id': `${elm}contentUrl`, '@type': `${XSD}anyURI` },
    providedBy: link(`${elm}providedBy`),
    defaultLanguage: link(`${elm}defaultLanguage`),
    mode: link(`${elm}mode`),
    learningAchievementSpecification: link(`${elm}learningAchievementSpecification`),
    learningOutcome: link(`${elm}learningOutcome`),
    relatedESCOSkill: link(`${elm}relatedESCOSkill`),
    thematicArea: link(`${elm}ISCEDFCode`),
    eqfLevel: link(`${elm}EQFLevel`),
    nqfLevel: link(`${elm}NQFLevel`),
    creditPoint: link(`${elm}creditPoint`),
    framework: link(`${elm}framework`),
    point: { '@id': `${elm}point`, '@type': `${XSD}string` },
    volumeOfLearning: { '@id': `${elm}volumeOfLearning`, '@type': `${XSD}duration` },
    learningSetting: link(`${elm}learningSetting`),
    provenBy: link(`${elm}provenBy`),
    entryRequirement: link(`${elm}entryRequirement`),
    accreditation: link(`${elm}accreditation`),
    accreditingAgent: link(`${elm}accreditingAgent`),
    organisation: link(`${elm}organisation`),
    report: link(`${elm}report`),
    expiryDate: { '@id': `${elm}expiryDate`, '@type': `${XSD}dateTime` },
    location: link(`${elm}location`),
    address: link(`${elm}address`),
    countryCode: link(`${elm}countryCode`),
  }
}

/**
 * The namespace of the LOQ XML export (`loq.xsd` 3.1.0, what the Qualification Dataset Register
 * verifies): every element is in the LOQ constraints namespace. The XSD has no 3.3 counterpart
 * staged, so ELM_VERSION does not change it.
 */
export const LOQ_XML_NAMESPACE = 'http://data.europa.eu/snb/model/ap/loq-constraints/'
