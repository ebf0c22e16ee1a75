import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { DOCUMENTATION_PREFIX } from './auth.js'

export const API_VERSION = '0.1.0'

const TAGS = [
  { name: 'alliances', description: 'European Universities alliances and their members' },
  { name: 'institutions', description: 'Institutions, by SCHAC code' },
  { name: 'offers', description: 'Micro-credential offers with the EU standard elements (Annex I), their versions and search' },
  { name: 'exports', description: 'Offers in the EU\'s and the wallets\' formats: ELM JSON-LD (Europass, European Digital Credentials) and Open Badges 3.0' },
  { name: 'OOAPI', description: 'A read-only Open Education API (OOAPI) v5 view of the institutions and the published catalogue, under /ooapi/v5' },
  { name: 'recognition', description: 'Recognition decisions (Lisbon Recognition Convention) and the registrar\'s views' },
  { name: 'changes', description: 'The change feed: what changed since a sequence number' },
  { name: 'audit', description: 'The tamper-evident audit trail' },
  { name: 'clients', description: 'API clients and their keys (operators)' },
  { name: 'webhooks', description: 'Signed pushes of the change feed: subscriptions, the delivery log, replay' },
  { name: 'health', description: 'Liveness and readiness probes' },
  { name: 'operations', description: 'What operators watch and repair: how far ranked search is behind the catalogue (operators)' },
  { name: 'meta', description: 'This API\'s own description' },
]

/** Keywords only our validator (ajv-formats) knows: the description says the same in words. */
const VALIDATOR_ONLY_KEYWORDS = new Set(['formatMinimum', 'formatMaximum'])

type Json = Record<string, unknown>

/** The document without validator-only keywords, as a copy. */
function withoutValidatorKeywords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutValidatorKeywords)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !VALIDATOR_ONLY_KEYWORDS.has(key)).map(([key, item]) => [key, withoutValidatorKeywords(item)]),
  )
}

/**
 * What the generated document says differently from the validation schemas, for the callers'
 * sake: a query parameter with a default is optional to the caller (the validator fills it in,
 * so it is `required` there), and keywords only our validator knows are left out.
 */
export function publishedDocument(document: Json): Json {
  const published = withoutValidatorKeywords(document) as Json
  for (const operations of Object.values((published.paths ?? {}) as Record<string, Json>)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of ((operation as Json).parameters ?? []) as Json[]) {
        if ((parameter.schema as Json | undefined)?.default !== undefined) parameter.required = false
      }
    }
  }
  return published
}

/**
 * OpenAPI 3.1 generated from the route schemas (components named by `$id`), served as
 * `/openapi.json` and `/openapi.yaml`, with an interactive page at `/docs`.
 */
async function openapi(app: FastifyInstance, options: { webhooks?: Record<string, unknown> } = {}) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Passerelle',
        version: API_VERSION,
        description:
          'Catalogue and recognition service for micro-credentials in European university alliances. ' +
          'Errors are RFC 9457 problem documents with a stable `code`; lists are cursor-paginated, each cursor valid ' +
          'only on the list and filters it came from (else 400 INVALID_CURSOR). JSON bodies are validated as sent, ' +
          'without type coercion (`"ects": "5"` is a 400); query strings and path parameters are read as the types ' +
          'their schemas declare.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      servers: [{ url: '/', description: 'The service that serves this document (http://127.0.0.1:3000 after npm start)' }],
      tags: TAGS,
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key (`psl_…`) issued by an operator, or the operator\'s ADMIN_TOKEN, in one Authorization header ' +
              '(a request with two is 400 VALIDATION_FAILED at header /authorization)',
          },
        },
      },
    },
    transformObject: (documentObject) => publishedDocument(('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as Json),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  })

  await app.register(swaggerUi, { routePrefix: DOCUMENTATION_PREFIX, staticCSP: true })

  app.get(
    '/openapi.json',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => reply.type('application/json').send(app.swagger()),
  )
  app.get(
    '/openapi.yaml',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => reply.type('application/yaml').send(app.swagger({ yaml: true })),
  )
}

export default fp(openapi, { name: 'openapi', dependencies: ['auth'] })
