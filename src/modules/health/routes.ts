import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Errors, withHeaders } from '../../errors.js'
import { noteDatabaseOutage } from '../../plugins/problems.js'
import { problemResponses } from '../../schemas.js'

const HealthStatus = Type.Object(
  { status: Type.Literal('ok'), database: Type.Optional(Type.Union([Type.Literal('postgres'), Type.Literal('pglite')])) },
  { additionalProperties: false, examples: [{ status: 'ok', database: 'postgres' }] },
)

/**
 * Probes are not rate limited: a load balancer probes from one address, often past the
 * anonymous limit, and a 429 would take a healthy instance out of service.
 */
const PROBE_CONFIG = { access: 'public', rateLimit: false } as const

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    {
      config: PROBE_CONFIG,
      schema: {
        operationId: 'getLiveness',
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: HealthStatus },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    {
      config: PROBE_CONFIG,
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'The service can answer requests: its database responds',
        response: { 200: HealthStatus, ...problemResponses(503) },
      },
    },
    async (request) => {
      try {
        await app.database.ping()
      } catch (error) {
        if (!noteDatabaseOutage(app, request, error)) request.log.warn({ err: error }, 'readiness check failed')
        throw withHeaders(Errors.notReady('The database does not respond'), { 'retry-after': '5' })
      }
      return { status: 'ok' as const, database: app.database.kind }
    },
  )
}

export default healthRoutes
