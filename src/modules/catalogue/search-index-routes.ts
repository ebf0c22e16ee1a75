import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdempotencyHeaders } from '../../plugins/writes.js'
import { ref } from '../../schemas.js'
import { SearchIndexRepair, SearchIndexStatus } from './schemas.js'
import type { CatalogueService } from './service.js'

/**
 * Operators' view of ranked search: which ranking this process uses and how far the search
 * indexer's copy is behind the offers (for monitoring), and a repair that queues every copy
 * found out of line (after anything wrote either table around the triggers).
 */
const searchIndexRoutes: FastifyPluginAsyncTypebox<{ catalogue: CatalogueService }> = async (app, { catalogue }) => {
  app.get(
    '/v1/search-index',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'getSearchIndexStatus',
        tags: ['operations'],
        summary: 'How ranked full-text search stands: its ranking, and how far the search indexer is behind',
        description:
          'Writes to offers are copied for ranked search by the search indexer after they commit (README, "Full-text search at scale"). ' +
          '`pending` and `lagSeconds` say how much and how long a search by relevance may still miss or misplace: alert when `lagSeconds` ' +
          'keeps growing (no process runs the indexer, or its rounds fail: see the log). Searches in any other order never lag.',
        response: { 200: ref(SearchIndexStatus) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store')
      return catalogue.searchIndexStatus()
    },
  )

  app.post(
    '/v1/search-index/repair',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'repairSearchIndex',
        tags: ['operations'],
        summary: 'Queue every offer whose copy for ranked search is missing, out of date or no longer wanted',
        description:
          'Compares every offer with its ranking copy, 20,000 at a time (2.5 s in all for 100,000 offers on the benchmark\'s machine), and queues those out of line; the search indexer then ' +
          'copies them as it copies any write (follow `pending` in GET /v1/search-index). Needed only after something wrote the offers or ' +
          'the copy around the service (a restore of one table, a manual fix); running it on a catalogue in line queues nothing. Audited.',
        headers: IdempotencyHeaders,
        response: { 202: ref(SearchIndexRepair) },
      },
    },
    async (_request, reply) => reply.sendWrite(async (write) => ({ status: 202, body: await catalogue.repairSearchIndex(write) })),
  )
}

export default searchIndexRoutes
