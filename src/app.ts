import { randomUUID } from 'node:crypto'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import type { DatabaseHandle } from './db/client.js'
import { callerRequestIdOf } from './lib/request-ids.js'
import { loggerOptions } from './logging.js'
import { auditRoutes, auditSchemas } from './modules/audit/index.js'
import { catalogueFollowers, catalogueLookups, catalogueRoutes, catalogueSchemas, searchIndexer } from './modules/catalogue/index.js'
import { changeRoutes, changeSchemas } from './modules/changes/index.js'
import { clientLookups, clientRoutes, clientSchemas, credentials } from './modules/clients/index.js'
import { exportRoutes } from './modules/exports/index.js'
import { healthRoutes } from './modules/health/index.js'
import { catalogueRunSource, ooapiRoutes, type OoapiRoutesOptions } from './modules/ooapi/index.js'
import { recognitionRoutes, recognitionSchemas } from './modules/recognition/index.js'
import { registryRoutes, registrySchemas } from './modules/registry/index.js'
import { webhookDispatcher, webhookDocumentation, webhookRoutes, webhookSchemas } from './modules/webhooks/index.js'
import auth from './plugins/auth.js'
import conditional from './plugins/conditional.js'
import database from './plugins/database.js'
import limits from './plugins/limits.js'
import openapi from './plugins/openapi.js'
import pagination from './plugins/pagination.js'
import portal from './plugins/portal.js'
import problems, { sendClientErrorProblem, sendFrameworkProblem } from './plugins/problems.js'
import securityHeaders from './plugins/security-headers.js'
import storableInput from './plugins/storable-input.js'
import writes from './plugins/writes.js'
import { sharedSchemas } from './schemas.js'
import { schemaController } from './validation.js'

export interface BuildOptions {
  config: Config
  /** The open database; its owner (server.ts, a test) closes it. */
  database: DatabaseHandle
  /** Logger settings; defaults to pino at the configured level with secrets redacted. */
  logger?: FastifyServerOptions['logger']
  /** Where the OOAPI view reads runs (offerings) from; absent, every course has none. */
  ooapiRuns?: OoapiRoutesOptions['runs']
}

/** How often Node checks for requests past their time (its default, 30 s, came on top of REQUEST_TIMEOUT_MS). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000

/** Builds the app: cross-cutting plugins first, then the modules' routes. Never listens. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    // The whole request, headers included, within REQUEST_TIMEOUT_MS, checked every second.
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, config.requestTimeoutMs),
    },
    clientErrorHandler: sendClientErrorProblem,
    trustProxy: config.trustProxy,
    // The server's own id for every request; the caller's X-Request-Id is logged beside it.
    genReqId: () => randomUUID(),
    childLoggerFactory(logger, bindings, options, rawRequest) {
      const callerRequestId = callerRequestIdOf(rawRequest.headers)
      return logger.child(callerRequestId === undefined ? bindings : { ...bindings, callerRequestId }, options)
    },
    frameworkErrors: sendFrameworkProblem,
    schemaController,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Bodies are JSON only. Fastify also parses text/plain by default, which would hand a
  // string to the JSON schema (400) instead of refusing the media type (415).
  app.removeContentTypeParser('text/plain')
  // PATCH bodies are JSON Merge Patches (RFC 7396), JSON in their own media type.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))

  for (const schema of [...sharedSchemas, ...registrySchemas, ...clientSchemas, ...catalogueSchemas, ...changeSchemas, ...recognitionSchemas, ...auditSchemas, ...webhookSchemas]) app.addSchema(schema)

  await app.register(securityHeaders)
  await app.register(database, { handle: options.database })
  await app.register(problems)
  await app.register(storableInput)
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
    followers: catalogueFollowers,
  })
  await app.register(clientRoutes)
  await app.register(catalogueRoutes, {
    syncBodyLimitBytes: config.syncBodyLimitBytes,
    search: { concurrency: config.searchConcurrency, queue: config.searchQueue, statementTimeoutMs: config.searchStatementTimeoutMs },
  })
  await app.register(searchIndexer, { config: config.searchIndexer })
  await app.register(exportRoutes, { config: config.exports })
  await app.register(ooapiRoutes, { config: config.ooapi, runs: options.ooapiRuns ?? catalogueRunSource })
  await app.register(changeRoutes)
  await app.register(recognitionRoutes)
  await app.register(auditRoutes)
  await app.register(webhookRoutes, { config: config.webhooks })
  await app.register(webhookDispatcher, { config: config.webhooks })
  await app.register(portal, { root: config.portalDir })

  return app
}
