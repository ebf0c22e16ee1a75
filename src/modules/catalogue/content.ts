import { createHash } from 'node:crypto'
import { canonicalJson } from '../../lib/canonical-json.js'
import { DEFAULT_LEARNING_OPPORTUNITY_TYPE, iscedAncestors } from '../../vocabularies/index.js'
import type { OfferContent } from './schemas.js'

/**
 * Pure functions over an offer's content: defaults, the content hash that tells a real change
 * from a re-sent copy, and the derived values the catalogue filters, sorts and searches on.
 */

export interface InstitutionContext {
  schac: string
  country: string
  /** Alliances the institution belongs to. */
  alliances: string[]
}

/** Fills what the provider may leave out: issuer country, awarding body, alliances, type. */
export function withDefaults(content: OfferContent, institution: InstitutionContext): OfferContent {
  return {
    ...content,
    issuerCountries: content.issuerCountries ?? [institution.country],
    awardingBodies: content.awardingBodies ?? [{ schac: institution.schac }],
    alliances: content.alliances ?? [...institution.alliances].sort(),
    learningOpportunityType: content.learningOpportunityType ?? DEFAULT_LEARNING_OPPORTUNITY_TYPE,
  }
}

export function contentHash(content: OfferContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex')
}

/** Case- and accent-folded text: "Littératie" and "litteratie" match. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
}

function allTexts(map: Record<string, string> | undefined): string[] {
  return map === undefined ? [] : Object.values(map)
}

/** The title used for sorting: English when there is one, else the first language's. */
function primaryTitle(content: OfferContent): string {
  const title = content.title ?? {}
  return title.en ?? Object.keys(title).sort().map((key) => title[key]!)[0] ?? ''
}

export interface IndexedFields {
  ects: number | null
  eqfLevel: number | null
  languages: string[]
  iscedPaths: string[]
  participation: string[]
  qaType: string | null
  stackable: boolean
  startDate: string | null
  issuerCountries: string[]
  alliances: string[]
  sortTitle: string
  /** Folded titles in every language (weight A of the search document). */
  searchTitles: string
  /** Folded descriptions and learning outcomes in every language (weight B). */
  searchBody: string
}

export function indexedFields(content: OfferContent): IndexedFields {
  return {
    ects: content.ects ?? null,
    eqfLevel: typeof content.eqfLevel === 'number' ? content.eqfLevel : null,
    languages: content.languages ?? [],
    iscedPaths: [...new Set((content.iscedFields ?? []).flatMap(iscedAncestors))].sort(),
    participation: content.participation ?? [],
    qaType: content.qualityAssurance?.type ?? null,
    stackable: content.stackability?.mode === 'stackable',
    startDate: content.startDate ?? null,
    issuerCountries: content.issuerCountries ?? [],
    alliances: content.alliances ?? [],
    sortTitle: foldText(primaryTitle(content)),
    searchTitles: foldText(allTexts(content.title).join(' \n ')),
    searchBody: foldText(
      [
        ...allTexts(content.description),
        ...(content.learningOutcomes ?? []).flatMap((outcome) => allTexts(outcome.text)),
      ].join(' \n '),
    ),
  }
}
