/**
 * What a full-text search may ask for, checked before it runs: PostgreSQL's cost for a
 * `websearch_to_tsquery` grows with the rows it matches and the positions it compares, and on
 * the embedded database a query cannot be interrupted at all. A query of only negations
 * (`-zzz -yyy`) matches, and ranks, the whole catalogue; a long phrase compares positions in
 * every matching document.
 */
export const MAX_SEARCH_TEXT_LENGTH = 100
export const MAX_SEARCH_WORDS = 8
export const MAX_PHRASE_WORDS = 4

const WORD = /[\p{L}\p{N}]+/gu

interface Term {
  words: number
  negated: boolean
}

/**
 * The terms of a websearch query, grouped by the alternatives `or` separates, read as
 * `websearch_to_tsquery` reads them: a `-` negates the term after it, even after spaces or
 * before a quote (`- foo`, `-"foo bar"`).
 */
function alternativesOf(text: string): Term[][] {
  const alternatives: Term[][] = [[]]
  let negation = false
  // A quoted phrase, or a run of non-space characters (a word, -word, or hyphen-joined words).
  for (const [token, phrase] of text.matchAll(/-*"([^"]*)"?|\S+/g)) {
    if (phrase === undefined && token.toLowerCase() === 'or') {
      alternatives.push([])
      negation = false
      continue
    }
    const negated = negation || token.startsWith('-')
    const words = (phrase ?? token).match(WORD)?.length ?? 0
    // A lone `-` (or `-` and punctuation) negates what follows it.
    negation = words === 0 && token.startsWith('-')
    if (words > 0) alternatives.at(-1)!.push({ words, negated })
  }
  return alternatives.filter((terms) => terms.length > 0)
}

/**
 * Whether PostgreSQL may read a phrase in the search (a quoted one, or words joined by a hyphen,
 * an apostrophe or other punctuation: `e-learning` is `'e-learning' <-> 'e' <-> 'learning'`).
 * Errs towards yes: a phrase is ranked otherwise under RUM (see catalogueRepository.search).
 */
export function mayHavePhrase(text: string): boolean {
  return alternativesOf(text).some((terms) => terms.some((term) => term.words > 1))
}

/** Why a (folded) search text is refused, or undefined when it may run. */
export function boundSearchText(text: string): string | undefined {
  if (text.length > MAX_SEARCH_TEXT_LENGTH) return `must be at most ${MAX_SEARCH_TEXT_LENGTH} characters`
  const alternatives = alternativesOf(text)
  const terms = alternatives.flat()
  if (terms.length === 0) return 'has no word to search for'
  if (!terms.some((term) => !term.negated)) return 'needs a word that is not negated (-word only excludes)'
  if (alternatives.some((terms) => terms.every((term) => term.negated))) {
    return 'needs, in every alternative (between "or"), a word that is not negated'
  }
  if (terms.reduce((sum, term) => sum + term.words, 0) > MAX_SEARCH_WORDS) return `may have at most ${MAX_SEARCH_WORDS} words`
  if (terms.some((term) => term.words > MAX_PHRASE_WORDS)) {
    return `may have at most ${MAX_PHRASE_WORDS} words in a phrase (quoted or joined by hyphens)`
  }
  return undefined
}
