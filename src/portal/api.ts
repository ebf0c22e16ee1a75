// The portal's only way to the service: openapi-fetch typed by openapi/types.d.ts, which
// `npm run openapi` generates from openapi/openapi.json. A request or a field the API does not
// have is a type error.
import createClient from 'openapi-fetch'
import type { components, paths } from '../../openapi/types.js'

export type Offer = components['schemas']['Offer']
export type OfferVersion = components['schemas']['OfferVersion']
export type OfferRecognition = components['schemas']['OfferRecognition']
export type OfferRecognitionEntry = components['schemas']['OfferRecognitionEntry']
export type Institution = components['schemas']['Institution']
export type Alliance = components['schemas']['Alliance']
export type LanguageMap = components['schemas']['LanguageMap']
export type Problem = components['schemas']['Problem']
export type SearchQuery = NonNullable<paths['/v1/offers']['get']['parameters']['query']>

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' })

/** The largest page the lists give. */
export const PAGE_MAX = 100

/** A problem answer as an error the pages show (its title and detail). */
export class ApiError extends Error {
  constructor(readonly problem: Partial<Problem> | undefined, readonly status: number) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`)
  }
}

/** The data of an openapi-fetch answer, or the problem thrown. */
export function dataOf<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) throw new ApiError(answer.error as Partial<Problem> | undefined, answer.response.status)
  return answer.data
}

/** Every item of a cursor-paged list, following nextCursor (bounded by `max`). */
export async function everyPage<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, max = 1000): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const answer = await page(cursor)
    items.push(...answer.items)
    cursor = answer.nextCursor ?? undefined
  } while (cursor !== undefined && items.length < max)
  return items.slice(0, max)
}
