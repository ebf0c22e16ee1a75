import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Errors } from '../../errors.js'
import { toPage } from '../../lib/cursor.js'
import { problemResponses, ref } from '../../schemas.js'
import type { AuditRow } from './repository.js'
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
      const principal = request.principal!
      const operator = principal.scopes.includes('registry:admin')
      const { cursor, limit, since, ...filters } = request.query
      if (!operator && (principal.institution === null || (filters.institution ?? principal.institution) !== principal.institution)) {
        throw Errors.forbidden('An institution reads only its own audit records')
      }
      const institution = operator ? filters.institution : principal.institution!
      const scope = { ...filters, since, institution }
      const after = cursor === undefined ? undefined : app.cursors.decode(cursor, scope)
      const rows = await audit.list({
        ...filters,
        institution,
        since: since === undefined ? undefined : new Date(since),
        afterId: after?.[0] as number | undefined,
        limit,
      })
      reply.header('cache-control', 'no-store')
      return toPage(rows, limit, toRecord, (row) => [row.id], (position) => app.cursors.encode(position, scope))
    },
  )
}

export default auditRoutes
