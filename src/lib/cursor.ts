import { createHmac, timingSafeEqual } from 'node:crypto'
import { Errors } from '../errors.js'
import { canonicalJson } from './canonical-json.js'

/** A position in a keyset-ordered list: the sort key values of the last item returned. */
export type CursorPosition = ReadonlyArray<string | number | null>

export interface CursorCodec {
  /** An opaque cursor for the page after `position`, valid only with the same filters (and list). */
  encode(position: CursorPosition, filters: Record<string, unknown>): string
  /** The position a cursor encodes; 400 INVALID_CURSOR when altered or made for other filters. */
  decode(cursor: string, filters: Record<string, unknown>): CursorPosition
}

/** Same filters → same text, whatever order the caller listed them in; unset ones left out. */
function canonicalFilters(filters: Record<string, unknown>): string {
  return canonicalJson(Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== null)))
}

/**
 * Cursors are signed with HMAC-SHA-256 over the position and the filters, so a client can
 * neither forge a position nor reuse a cursor with different filters.
 */
export function createCursorCodec(secret: string): CursorCodec {
  const sign = (payload: string, filters: string) =>
    createHmac('sha256', secret).update(payload).update('\u0000').update(filters).digest().subarray(0, 16)

  return {
    encode(position, filters) {
      const payload = Buffer.from(JSON.stringify(position)).toString('base64url')
      return `${payload}.${sign(payload, canonicalFilters(filters)).toString('base64url')}`
    },
    decode(cursor, filters) {
      const [payload, signature, extra] = cursor.split('.')
      if (payload && signature && extra === undefined) {
        const expected = sign(payload, canonicalFilters(filters))
        const given = Buffer.from(signature, 'base64url')
        if (given.length === expected.length && timingSafeEqual(given, expected)) {
          const position: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
          if (Array.isArray(position)) return position as CursorPosition
        }
      }
      throw Errors.invalidCursor('The cursor is invalid, altered, or was made for other filters')
    },
  }
}

/** A page of a list, and the cursor to the next (null on the last page). */
export interface Page<Item> {
  items: Item[]
  nextCursor: string | null
}

/**
 * Turns `limit + 1` rows fetched in keyset order into a page: the extra row only tells that
 * another page exists.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (row: Row) => CursorPosition,
  encode: (position: CursorPosition) => string,
): Page<Item> {
  const hasMore = rows.length > limit
  const pageRows = hasMore ? rows.slice(0, limit) : rows
  const last = pageRows[pageRows.length - 1]
  return {
    items: pageRows.map(toItem),
    nextCursor: hasMore && last !== undefined ? encode(positionOf(last)) : null,
  }
}
