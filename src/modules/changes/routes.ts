import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas.js'
import { validityOf } from '../journal/index.js'
import { changeRepository as feed } from './repository.js'
import { ChangePage, ChangeQuery, type Change } from './schemas.js'

const changeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/changes',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listChanges',
        tags: ['changes'],
        summary: 'What changed after a sequence number: ids and versions, oldest first',
        description:
          'Store `nextAfter` and ask again with `after=` to never miss a change, even when writers commit out of order. ' +
          'Anonymous callers see public changes; an institution\'s key also sees its own private ones (drafts), and individual decisions ' +
          'with recognition:read (those its institution recorded or whose offer it provides) or recognition:write (those it recorded). ' +
          'Unlike the other lists, the feed is paged by its public sequence number, not an opaque cursor (the position is ' +
          'the point: a mirror stores it), and pages go up to 1,000 entries (default 100), since mirrors replay it in bulk.',
        querystring: ChangeQuery,
        response: { 200: ref(ChangePage) },
      },
    },
    async (request, reply) => {
      const { after, limit, type, institution } = request.query
      const viewer = request.caller.institution
      const viewerReadsRecognitions = request.caller.has('recognition:read')
      const viewerWritesRecognitions = request.caller.has('recognition:write')
      const rows = await feed.list(app.db, { after, limit, type, institution, viewer, viewerReadsRecognitions, viewerWritesRecognitions })
      if (viewer) reply.header('cache-control', 'no-store')
      // A decision's dates are stored with its entries (written with the decision): no lookup.
      const items: Change[] = rows.map((row) => ({
        sequence: row.sequence,
        type: row.type,
        id: row.entityId,
        action: row.action as Change['action'],
        version: row.version,
        at: row.at.toISOString(),
        ...validityOf(row),
      }))
      return { items, nextAfter: rows.at(-1)?.sequence ?? after }
    },
  )
}

export default changeRoutes
