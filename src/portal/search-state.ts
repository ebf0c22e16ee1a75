// The search as the URL says it (so that a result page can be shared and reloaded), and as the
// API's query: pure functions, tested in test/portal-state.test.ts.
import type { SearchQuery } from './api.js'

/**
 * The filters the portal offers, each a query parameter of GET /v1/offers under the same name:
 * the offer's, then its runs' (all of these apply to one same run).
 */
export const FILTERS = [
  'q', 'eqfLevel', 'ectsMin', 'ectsMax', 'iscedField', 'language', 'participation', 'institution', 'alliance',
  'openNow', 'startsFrom', 'startsUntil', 'mode', 'hasPlaces', 'openTo',
] as const
export type Filter = typeof FILTERS[number]
export type SearchState = Partial<Record<Filter, string>> & { cursor?: string }

const NUMERIC: ReadonlySet<Filter> = new Set(['eqfLevel', 'ectsMin', 'ectsMax'])

/** The search a URL's query holds; unknown and empty parameters are dropped. */
export function stateFromQuery(query: string): SearchState {
  const params = new URLSearchParams(query)
  const state: SearchState = {}
  for (const filter of FILTERS) {
    const value = params.get(filter)?.trim()
    if (value) state[filter] = value
  }
  const cursor = params.get('cursor')
  if (cursor) state.cursor = cursor
  return state
}

/** The URL query of a search ('' for none), filters in a stable order, the cursor last. */
export function queryFromState(state: SearchState): string {
  const params = new URLSearchParams()
  for (const filter of FILTERS) {
    const value = state[filter]?.trim()
    if (value) params.set(filter, value)
  }
  if (state.cursor) params.set('cursor', state.cursor)
  const query = params.toString()
  return query === '' ? '' : `?${query}`
}

/** The query of GET /v1/offers for a search: numbers as numbers, and the page size. */
export function apiQuery(state: SearchState, limit: number): SearchQuery {
  const query: Record<string, string | number> = { limit }
  for (const filter of FILTERS) {
    const value = state[filter]?.trim()
    if (!value) continue
    query[filter] = NUMERIC.has(filter) && Number.isFinite(Number(value)) ? Number(value) : value
  }
  if (state.cursor) query.cursor = state.cursor
  // Built from FILTERS, the names of the query's parameters; the API validates each value.
  return query as unknown as SearchQuery
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** The offer ids in pasted or uploaded text (any separators), lower-cased, each once, in order. */
export function offerIdsIn(text: string): string[] {
  return [...new Set((text.match(UUID) ?? []).map((id) => id.toLowerCase()))]
}
