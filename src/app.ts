import { randomUUID } from 'node:crypto'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import type { DatabaseHandle } from './db/client.js'
import { loggerOptions } from './logging.js'
import { auditRoutes, auditSchemas } from './modules/audit/index.js'
import { catalogueLookups, catalogueRoutes, catalogueSchemas } from './modules/catalogue/index.js'
import { changeRoutes, changeSchemas } from './modules/changes/index.js'
import { clientLookups, clientRoutes, clientSchemas, credentials } from './modules/clients/index.js'
import { healthRoutes } from './modules/health/index.js'
import { recognitionRoutes, recognitionSchemas } from './modules/recognition/index.js'
import { registryRoutes, registrySchemas } from './modules/registry/index.js'
import { webhookDispatcher, webhookDocumentation, webhookRoutes, webhookSchemas } from './modules/webhooks/index.js'
import auth from './plugins/auth.js'
import conditional from './plugins/conditional.js'
import database from './plugins/database.js'
import limits from './plugins/limits.js'
import openapi from './plugins/openapi.js'
import pagination from './plugins/pagination.js'
import problems, { sendFrameworkProblem } from './plugins/problems.js'
import securityHeaders from './plugins/security-headers.js'
import writes from './plugins/writes.js'
import { sharedSchemas } from './schemas.js'

export interface BuildOptions {
  config: Config
  /** The open database; its owner (server.ts, a test) closes it. */
  database: DatabaseHandle
  /** Logger settings; defaults to pino at the configured level with secrets redacted. */
  logger?: FastifyServerOptions['logger']
}

/** An incoming X-Request-Id is honoured only when it is a sane token (it ends up in logs). */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/

/** Builds the app: cross-cutting plugins first, then the modules' routes. Never listens. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    trustProxy: config.trustProxy,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID()
    },
    frameworkErrors: sendFrameworkProblem,
    ajv: {
      // Report every failing field, and reject unknown fields instead of dropping them.
      customOptions: { allErrors: true, removeAdditional: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Bodies are JSON only. Fastify also parses text/plain by default, which would hand a
  // string to the JSON schema (400) instead of refusing the media type (415).
  app.removeContentTypeParser('text/plain')

  for (const schema of [...sharedSchemas, ...registrySchemas, ...clientSchemas, ...catalogueSchemas, ...changeSchemas, ...recognitionSchemas, ...auditSchemas, ...webhookSchemas]) app.addSchema(schema)

  await app.register(securityHeaders)
  await app.register(database, { handle: options.database })
  await app.register(problems)
  await app.register(pagination, { secret: config.cursorSecret })
  await app.register(conditional)
  await app.register(limits, {
    redisUrl: config.redisUrl,
    rateLimitMax: config.rateLimitMax,
    rateLimitAnonymousMax: config.rateLimitAnonymousMax,
    rateLimitWindowMs: config.rateLimitWindowMs,
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    handlerTimeoutMs: config.handlerTimeoutMs,
  })
  // Before auth, so that refused requests (401, 429) carry the CORS grant and a portal can
  // read why.
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    exposedHeaders: ['etag', 'x-request-id', 'location', 'retry-after'],
  })
  await app.register(credentials)
  await app.register(auth, {
    adminToken: config.adminToken,
    failureLimitMax: config.authFailureLimitMax,
    failureWindowMs: config.rateLimitWindowMs,
  })
  await app.register(writes)
  await app.register(openapi, { webhooks: webhookDocumentation })

  await app.register(healthRoutes)
  await app.register(registryRoutes, {
    references: { clients: clientLookups.countOfInstitution, offers: catalogueLookups.countOfInstitution },
  })
  await app.register(clientRoutes)
  await app.register(catalogueRoutes, { syncBodyLimitBytes: config.syncBodyLimitBytes })
  await app.register(changeRoutes)
  await app.register(recognitionRoutes)
  await app.register(auditRoutes)
  await app.register(webhookRoutes, { config: config.webhooks })
  await app.register(webhookDispatcher, { config: config.webhooks })

  return app
}
