import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Errors } from '../../errors.js'
import { problemResponses, ref } from '../../schemas.js'
import type { AuditRow } from '../journal/index.js'
import { AuditPage, AuditQuery, type AuditRecord } from './schemas.js'
import { createAuditService } from './service.js'

function toRecord(row: AuditRow): AuditRecord {
  return { ...row, at: row.at.toISOString() }
}

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const audit = createAuditService(app.db)

  app.get(
    '/v1/audit',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listAuditRecords',
        tags: ['audit'],
        summary: 'The audit trail: your institution\'s records (operators: everyone\'s)',
        querystring: AuditQuery,
        response: { 200: ref(AuditPage), ...problemResponses(403) },
      },
    },
    async (request, reply) => {
      const { caller } = request
      const operator = caller.has('registry:admin')
      const { cursor, limit, since, ...filters } = request.query
      if (!operator && (caller.institution === null || (filters.institution ?? caller.institution) !== caller.institution)) {
        throw Errors.forbidden('An institution reads only its own audit records')
      }
      const institution = operator ? filters.institution : caller.institution!
      reply.header('cache-control', 'no-store')
      return app.page({
        request,
        cursor,
        limit,
        scope: { ...filters, since, institution },
        fetch: (after) =>
          audit.list({
            ...filters,
            institution,
            since: since === undefined ? undefined : new Date(since),
            afterId: after?.[0] as number | undefined,
            limit,
          }),
        position: (row) => [row.id],
        item: toRecord,
      })
    },
  )
}

export default auditRoutes
