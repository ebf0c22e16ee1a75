/**
 * One offer as the LOQ XML fragments the Qualification Dataset Register verifies against
 * ../shared/interop/elm/xsd/loq/loq.xsd: the learning opportunity, its qualification and the
 * qualification's learning outcomes, each in its own container of the document (the XSD
 * groups entities by kind and links them by `idref`), and the organisations (with their
 * locations) that provide it. The same mapping decisions as the ELM JSON-LD export (elm.ts):
 * confirmed co-awarding bodies only, codes outside the EU lists left out. Every text and
 * attribute value is escaped; characters XML 1.0 cannot carry become U+FFFD. Pure.
 */
import {
  COUNTRIES,
  EQF_LEVELS,
  ISCED_F,
  LEARNING_OPPORTUNITY_TYPES,
  LEARNING_SETTINGS,
  NQF_LEVELS,
  PARTICIPATION_FORMS,
  languageUri,
} from '../../vocabularies/index.js'
import type { VocabularyEntry } from '../../vocabularies/elm.js'
import { hoursDuration } from './elm.js'
import { LOQ_XML_NAMESPACE } from './namespace.js'
import type { ExportedOrganisation, ExportSource } from './source.js'

// Characters outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Text or an attribute value as XML: escaped, and only characters XML can carry. */
export function xmlEscape(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

/** An element; attribute values are escaped here, children are elements built the same way. */
function el(name: string, attributes: Record<string, string | undefined>, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlEscape(value)}"`)
    .join('')
  return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join('')}</${name}>`
}

function textEl(name: string, value: string, attributes: Record<string, string> = {}): string {
  return `${el(name, attributes).slice(0, -2)}>${xmlEscape(value)}</${name}>`
}

/** One element per language of a language map (`title`, `description`, `legalName` …). */
function texts(name: string, map: Record<string, string> | undefined): string[] {
  return Object.entries(map ?? {}).map(([language, value]) => textEl(name, value, { language }))
}

function uriOf(entries: ReadonlyArray<VocabularyEntry>, code: string): string[] {
  const entry = entries.find((candidate) => candidate.code === code)
  return entry ? [entry.uri] : []
}

const concepts = (name: string, uris: string[]) => uris.map((uri) => el(name, { uri }))
const refs = (name: string, ids: string[]) => ids.map((idref) => el(name, { idref }))
const languageUris = (tags: string[] = []) => tags.flatMap((tag) => (languageUri(tag) ? [languageUri(tag)!] : []))

/** The id of an institution in every export: `${PUBLIC_BASE_URL}/v1/institutions/{schac}`. */
export const organisationId = (source: Pick<ExportSource, 'institutionsUri'>, schac: string) => `${source.institutionsUri}${schac}`

/** The fragments of one offer, each for its container of the LOQ document. */
export interface LoqFragments {
  learningOpportunity: string
  qualification: string
  learningOutcomes: string[]
}

export function loqFragments(source: ExportSource): LoqFragments {
  const c = source.content
  const qualificationId = `${source.uri}#qualification`
  const outcomeIds = (c.learningOutcomes ?? []).map((_, index) => `${qualificationId}-outcome-${index + 1}`)
  const providers = [source.provider, ...source.coAwarding].map((organisation) => organisationId(source, organisation.schac))
  const [defaultLanguage] = languageUris(c.languages)
  const modes = (c.participation ?? []).flatMap((code) => uriOf(PARTICIPATION_FORMS, code))

  const learningOpportunity = el(
    'learningOpportunity',
    { id: source.uri },
    ...texts('title', c.title),
    ...texts('description', c.description),
    ...concepts('type', uriOf(LEARNING_OPPORTUNITY_TYPES, c.learningOpportunityType ?? 'short_learning_programme')),
    ...(c.homepage === undefined ? [] : [el('homepage', {}, textEl('contentUrl', c.homepage))]),
    ...concepts('mode', modes),
    ...refs('providedBy', providers),
    el('learningAchievementSpecification', { idref: qualificationId }),
    ...concepts('defaultLanguage', defaultLanguage === undefined ? [] : [defaultLanguage]),
  )

  const qualification = el(
    'qualification',
    { id: qualificationId },
    ...texts('title', c.title),
    ...texts('description', c.description),
    ...concepts('ISCEDFCode', (c.iscedFields ?? []).flatMap((code) => uriOf(ISCED_F, code))),
    ...(c.workloadHours === undefined ? [] : [textEl('volumeOfLearning', hoursDuration(c.workloadHours))]),
    ...concepts('language', languageUris(c.languages)),
    ...concepts('mode', modes),
    ...concepts('learningSetting', c.learningSetting ? uriOf(LEARNING_SETTINGS, c.learningSetting) : []),
    ...refs('learningOutcome', outcomeIds),
    ...concepts('EQFLevel', typeof c.eqfLevel === 'number' ? uriOf(EQF_LEVELS, String(c.eqfLevel)) : []),
    ...concepts('NQFLevel', (c.nqfLevels ?? []).flatMap((iri) => uriOf(NQF_LEVELS, iri.slice(iri.lastIndexOf('/') + 1)))),
  )

  const learningOutcomes = (c.learningOutcomes ?? []).map((outcome, index) => el('learningOutcome', { id: outcomeIds[index]! }, ...texts('title', outcome.text)))
  return { learningOpportunity, qualification, learningOutcomes }
}

/** An organisation and its location (the XSD keeps locations in their own container). */
export function loqOrganisation(institutionsUri: string, organisation: ExportedOrganisation): { organisation: string; location: string } {
  const id = organisationId({ institutionsUri }, organisation.schac)
  const locationId = `${id}#location`
  return {
    organisation: el(
      'organisation',
      { id },
      ...texts('legalName', organisation.name),
      ...(organisation.website ? [el('homepage', {}, textEl('contentUrl', organisation.website))] : []),
      el('location', { idref: locationId }),
    ),
    location: el('location', { id: locationId }, el('address', {}, ...concepts('countryCode', uriOf(COUNTRIES, organisation.country)))),
  }
}

/** The document's opening: the root element, in the LOQ namespace. */
export function loqDocumentStart(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el('Courses', { xmlns: LOQ_XML_NAMESPACE, xsdVersion: '3.1.0' }).slice(0, -2)}>\n`
}
