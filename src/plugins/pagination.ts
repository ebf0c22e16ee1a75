import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createCursorCodec, toPage, type CursorPosition, type Page } from '../lib/cursor.js'

export interface PageRequest<Row, Item> {
  /** The request the list answers: its route is part of what the cursor is bound to. */
  request: ListRequest
  /** The cursor the client sent, if any. */
  cursor: string | undefined
  limit: number
  /**
   * What the cursor is bound to besides its route (the list's filters, who asks): it is
   * refused with any other.
   */
  scope: Record<string, unknown>
  /** Fetches `limit + 1` rows after the position (the extra row tells that more exist). */
  fetch: (after: CursorPosition | undefined) => Promise<Row[]>
  /** The keyset position of a row, in the list's sort order. */
  position: (row: Row) => CursorPosition
  item: (row: Row) => Item
}

/** What the helper needs to know of the request: the route it was matched to. */
export interface ListRequest {
  readonly routeOptions: { readonly url?: string }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** One page of a keyset-paginated list, with an opaque, signed cursor to the next. */
    page<Row, Item>(request: PageRequest<Row, Item>): Promise<Page<Item>>
  }
}

/** Cursor pagination, the same for every list (the change feed pages by its public sequence). */
async function pagination(app: FastifyInstance, options: { secret: string }) {
  const cursors = createCursorCodec(options.secret)
  app.decorate('page', async function page<Row, Item>(request: PageRequest<Row, Item>): Promise<Page<Item>> {
    const { cursor, limit } = request
    // A cursor of one list is no position in another, even with the same (or no) filters.
    const bound = { route: request.request.routeOptions.url ?? '', scope: request.scope }
    const after = cursor === undefined ? undefined : cursors.decode(cursor, bound)
    const rows = await request.fetch(after)
    return toPage(rows, limit, request.item, request.position, (position) => cursors.encode(position, bound))
  })
}

export default fp(pagination, { name: 'pagination' })
