// Reads an OOAPI v5 endpoint defensively: GET only, to the endpoint's own origin (no
// redirects followed), each request with a timeout, retried with backoff on 5xx, timeouts and
// network errors, pages followed up to a limit. Nothing read here is sent anywhere.

export interface OoapiReaderOptions {
  /** The endpoint's base URL, e.g. https://ooapi.example.edu/v5 (its paths are appended). */
  baseUrl: string
  timeoutMs?: number
  /** Attempts per request after the first. */
  retries?: number
  /** The first retry's delay; each further one doubles it. */
  backoffMs?: number
  /** The most pages read of any one list. */
  maxPages?: number
  pageSize?: number
  /** Told of each retry (for the report). */
  onRetry?: (url: string, attempt: number, reason: string) => void
}

export class OoapiReadError extends Error {}

type Json = Record<string, unknown>

export function createOoapiReader(options: OoapiReaderOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const retries = options.retries ?? 3
  const backoffMs = options.backoffMs ?? 500
  const maxPages = options.maxPages ?? 200
  const pageSize = options.pageSize ?? 100

  async function once(url: string): Promise<{ retry: true; reason: string } | { retry: false; body: unknown }> {
    let response: Response
    try {
      response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${(error as Error).message}`
      return { retry: true, reason }
    }
    if (response.status >= 500) {
      await response.body?.cancel()
      return { retry: true, reason: `HTTP ${response.status}` }
    }
    if (response.status !== 200) {
      await response.body?.cancel()
      throw new OoapiReadError(`${url}: HTTP ${response.status}`)
    }
    const text = await response.text()
    try {
      return { retry: false, body: JSON.parse(text) }
    } catch {
      throw new OoapiReadError(`${url}: the answer is not JSON`)
    }
  }

  /** One document at a path of the endpoint. */
  async function get(path: string): Promise<unknown> {
    const url = `${base}${path}`
    for (let attempt = 0; ; attempt++) {
      const result = await once(url)
      if (!result.retry) return result.body
      if (attempt >= retries) throw new OoapiReadError(`${url}: ${result.reason}, ${attempt + 1} attempts`)
      options.onRetry?.(url, attempt + 1, result.reason)
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** attempt))
    }
  }

  /** Every item of an OOAPI list, page by page; a page that is not an OOAPI page stops the reading. */
  async function list(path: string): Promise<Json[]> {
    const items: Json[] = []
    for (let pageNumber = 1; ; pageNumber++) {
      if (pageNumber > maxPages) throw new OoapiReadError(`${base}${path}: more than ${maxPages} pages`)
      const separator = path.includes('?') ? '&' : '?'
      const page = await get(`${path}${separator}pageSize=${pageSize}&pageNumber=${pageNumber}`) as Json | null
      if (page === null || typeof page !== 'object' || !Array.isArray(page.items) || typeof page.hasNextPage !== 'boolean') {
        throw new OoapiReadError(`${base}${path} page ${pageNumber} is not an OOAPI page (items and hasNextPage)`)
      }
      for (const [index, item] of page.items.entries()) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new OoapiReadError(`${base}${path} page ${pageNumber}: item ${index} is not an object`)
        items.push(item as Json)
      }
      if (!page.hasNextPage) return items
    }
  }

  return { get, list }
}
