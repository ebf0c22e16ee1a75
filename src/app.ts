import { randomUUID } from 'node:crypto'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { openDatabase, type DatabaseHandle } from './db/client.js'
import { loggerOptions } from './logging.js'
import auditRoutes from './modules/audit/routes.js'
import { auditSchemas } from './modules/audit/schemas.js'
import catalogueRoutes from './modules/catalogue/routes.js'
import changeRoutes from './modules/changes/routes.js'
import { changeSchemas } from './modules/changes/schemas.js'
import { catalogueSchemas } from './modules/catalogue/schemas.js'
import clientRoutes from './modules/clients/routes.js'
import { clientSchemas } from './modules/clients/schemas.js'
import healthRoutes from './modules/health/routes.js'
import recognitionRoutes from './modules/recognition/routes.js'
import { recognitionSchemas } from './modules/recognition/schemas.js'
import registryRoutes from './modules/registry/routes.js'
import { registrySchemas } from './modules/registry/schemas.js'
import auth from './plugins/auth.js'
import database from './plugins/database.js'
import openapi from './plugins/openapi.js'
import limits, { SECURITY_HEADERS } from './plugins/limits.js'
import pagination from './plugins/pagination.js'
import problems, { sendFrameworkProblem } from './plugins/problems.js'
import { sharedSchemas } from './schemas.js'

export interface BuildOptions {
  config: Config
  /** An open database; when absent, one is opened from the config and closed with the app. */
  database?: DatabaseHandle
  /** Logger settings; defaults to pino at the configured level with secrets redacted. */
  logger?: FastifyServerOptions['logger']
}

/** An incoming X-Request-Id is honoured only when it is a sane token (it ends up in logs). */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/

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
    frameworkErrors: (error, request, reply) => sendFrameworkProblem(error, request, reply, SECURITY_HEADERS),
    ajv: {
      // Report every failing field, and reject unknown fields instead of dropping them.
      customOptions: { allErrors: true, removeAdditional: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Bodies are JSON only. Fastify also parses text/plain by default, which would hand a
  // string to the JSON schema (400) instead of refusing the media type (415).
  app.removeContentTypeParser('text/plain')

  // Set when the request arrives, before any hook can refuse it, so every response carries
  // them, errors included. A callback hook: an async one costs a promise on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS)
    reply.header('x-request-id', request.id)
    done()
  })

  for (const schema of [...sharedSchemas, ...registrySchemas, ...clientSchemas, ...catalogueSchemas, ...changeSchemas, ...recognitionSchemas, ...auditSchemas]) app.addSchema(schema)

  const handle = options.database ?? (await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: config.pgliteDataDir,
    poolMax: config.dbPoolMax,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  }))
  await app.register(database, { handle, closeOnShutdown: options.database === undefined })
  await app.register(problems)
  await app.register(pagination, { secret: config.cursorSecret })
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
  await app.register(auth, {
    adminToken: config.adminToken,
    failureLimitMax: config.authFailureLimitMax,
    failureWindowMs: config.rateLimitWindowMs,
  })
  await app.register(openapi)

  await app.register(healthRoutes)
  await app.register(registryRoutes)
  await app.register(clientRoutes)
  await app.register(catalogueRoutes, { syncBodyLimitBytes: config.syncBodyLimitBytes })
  await app.register(changeRoutes)
  await app.register(recognitionRoutes)
  await app.register(auditRoutes)

  return app
}
