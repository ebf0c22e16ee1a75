import { createHash } from 'node:crypto'
import { canonicalJson } from '../../lib/canonical-json.js'
import { DEFAULT_LEARNING_OPPORTUNITY_TYPE, iscedAncestors } from '../../vocabularies/index.js'
import type { AwardingAnswer, OfferContent } from './schemas.js'

/**
 * Pure functions over an offer's content: defaults, the content hash that tells a real change
 * from a re-sent copy, and the derived values the catalogue filters, sorts and searches on.
 */

export interface InstitutionContext {
  schac: string
  country: string
  /** Alliances the institution belongs to now. */
  alliances: string[]
}

/**
 * Fills what the provider may leave out: issuer country, awarding body, type. (The alliances
 * are not content: an offer is offered in those its institution belongs to now.)
 */
export function withDefaults(content: OfferContent, institution: Omit<InstitutionContext, 'alliances'>): OfferContent {
  return {
    ...content,
    issuerCountries: content.issuerCountries ?? [institution.country],
    awardingBodies: content.awardingBodies ?? [{ schac: institution.schac }],
    learningOpportunityType: content.learningOpportunityType ?? DEFAULT_LEARNING_OPPORTUNITY_TYPE,
  }
}

export function contentHash(content: OfferContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex')
}

/**
 * Content as stored before the alliances left it: each version then held the institution's
 * alliances of the day, and its hash covers them.
 */
export type StoredContent = OfferContent & { alliances?: string[] }

/**
 * Whether new content says what the stored content says. Content stored with the alliances of
 * its day is compared as if the new content held them too, so re-sending it is no change
 * (no new version, no decision marked "changed since") whatever the alliances are now.
 */
export function isSameContent(next: { content: OfferContent; contentHash: string }, stored: { contentHash: string; alliances?: string[] | null }): boolean {
  if (next.contentHash === stored.contentHash) return true
  return Array.isArray(stored.alliances) && contentHash({ ...next.content, alliances: stored.alliances } as StoredContent) === stored.contentHash
}

/** A registered institution named as awarding body: its country and its answer. */
export interface NamedInstitution {
  country: string
  status: 'provider' | 'pending' | 'confirmed' | 'declined'
}

/**
 * The issuer countries an offer is listed and filtered under: those stated that someone who
 * stands behind the offer is in — the provider, a named institution that has confirmed, or a
 * body the provider declares by name. A country only a pending (or declining) institution is
 * in waits for its confirmation.
 */
export function listedIssuerCountries(content: OfferContent, provider: { country: string }, named: ReadonlyMap<string, NamedInstitution>): string[] {
  const backed = new Set([provider.country])
  for (const body of content.awardingBodies ?? []) {
    if (!('schac' in body)) {
      if (body.country !== undefined) backed.add(body.country)
      continue
    }
    const institution = named.get(body.schac)
    if (institution && (institution.status === 'provider' || institution.status === 'confirmed')) backed.add(institution.country)
  }
  return (content.issuerCountries ?? [provider.country]).filter((country) => backed.has(country))
}

/**
 * The countries a stated issuer country may be: the provider's, a named registered
 * institution's (whatever its answer), or a declared body's.
 */
export function possibleIssuerCountries(content: OfferContent, provider: { country: string }, registered: ReadonlyMap<string, string>): Set<string> {
  const possible = new Set([provider.country])
  for (const body of content.awardingBodies ?? []) {
    const country = 'schac' in body ? registered.get(body.schac) : body.country
    if (country !== undefined) possible.add(country)
  }
  return possible
}

/** What an offer shows that does not come from its content, as of the write. */
export interface SurroundingFields {
  alliances: string[]
  issuerCountries: string[]
}

/** The registered institutions an offer names as awarding bodies (other than its provider). */
export function namedInstitutions(content: OfferContent, provider: string): string[] {
  const named = new Set<string>()
  for (const body of content.awardingBodies ?? []) if ('schac' in body && body.schac !== provider) named.add(body.schac)
  return [...named]
}

/**
 * An offer's surroundings: the alliances its institution is in now, and the issuer countries
 * it is listed under given the named institutions' countries and answers (none yet for a new
 * offer: each is pending).
 */
export function surroundingsOf(
  content: OfferContent,
  context: InstitutionContext,
  countries: ReadonlyMap<string, string>,
  answers: Readonly<Record<string, AwardingAnswer>> | null | undefined,
): SurroundingFields {
  const named = new Map<string, NamedInstitution>()
  for (const body of content.awardingBodies ?? []) {
    if (!('schac' in body)) continue
    const country = body.schac === context.schac ? context.country : countries.get(body.schac)
    if (country === undefined) continue
    named.set(body.schac, { country, status: body.schac === context.schac ? 'provider' : (answers?.[body.schac] ?? 'pending') })
  }
  return { alliances: context.alliances, issuerCountries: listedIssuerCountries(content, context, named) }
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
