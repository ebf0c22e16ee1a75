import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import FindMyWay, { type HTTPVersion } from 'find-my-way'
import { databaseOutageOf, type DatabaseOutage } from '../db/errors.js'
import { Errors, withHeaders, type FieldError, type FieldLocation, type ServiceError } from '../errors.js'
import { loggableError } from '../logging.js'
import { problemResponses } from '../schemas.js'
import { SECURITY_HEADERS } from './security-headers.js'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export interface ValidationIssue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

const LOCATIONS: Record<string, FieldLocation> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
}

/** Fastify's own error codes, mapped onto the service's stable catalogue. */
const FRAMEWORK_ERRORS: Record<string, (error: FastifyError) => ServiceError> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    Errors.unsupportedMediaType('Send the body as application/json'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => Errors.bodyTooLarge('The request body is larger than this route accepts'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    Errors.malformedBody('The body is empty but Content-Type is application/json'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => Errors.malformedBody('The body is not valid JSON'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    Errors.malformedBody('Content-Length does not match the body'),
  FST_ERR_BAD_URL: () => Errors.malformedUrl('The request URL is malformed (an invalid percent-encoding?)'),
  FST_ERR_ASYNC_CONSTRAINT: () => Errors.malformedBody('The request could not be routed'),
  // Only reads have a handler timeout (see plugins/limits.ts), so nothing was written.
  FST_ERR_HANDLER_TIMEOUT: () =>
    withHeaders(Errors.handlerTimeout('The request took too long; retry it'), {
      'retry-after': '5',
    }),
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

/**
 * One entry per failing value. Alternatives (a URL or null, say) fail once per branch; their
 * messages are merged so the client reads one line per field.
 */
export function validationFieldErrors(issues: ValidationIssue[], location: FieldLocation): FieldError[] {
  const byPointer = new Map<string, string[]>()
  for (const issue of issues) {
    // anyOf/oneOf failures only repeat what their branches already said.
    if (issue.keyword === 'anyOf' || issue.keyword === 'oneOf') continue
    let pointer = issue.instancePath
    let detail = issue.message ?? 'is invalid'
    if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
      pointer += `/${pointerToken(issue.params.missingProperty)}`
      detail = 'is required'
    } else if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
      pointer += `/${pointerToken(issue.params.additionalProperty)}`
      detail = 'is not an accepted field'
    } else if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
      detail = `must be one of: ${issue.params.allowedValues.join(', ')}`
    } else if (issue.keyword === 'const' && 'allowedValue' in issue.params) {
      detail = `must be ${JSON.stringify(issue.params.allowedValue)}`
    }
    const details = byPointer.get(pointer) ?? []
    if (!details.includes(detail)) details.push(detail)
    byPointer.set(pointer, details)
  }
  return [...byPointer].map(([pointer, details]) => ({ in: location, pointer, detail: details.join('; or ') }))
}

const OUTAGE_DETAILS: Record<string, string> = {
  POOL_EXHAUSTED: 'Every database connection is in use; retry shortly',
  57014: 'The database took too long to answer; retry shortly',
  53300: 'The database has no connection free; retry shortly',
}

/** A database that is busy or gone is a 503 with Retry-After; a write refused so was not applied. */
function outageProblem(outage: DatabaseOutage): ServiceError {
  if (outage.kind === 'busy') {
    const detail = OUTAGE_DETAILS[outage.cause.code] ?? 'The database is overloaded; retry shortly'
    return withHeaders(Errors.databaseBusy(detail), { 'retry-after': '2' })
  }
  return withHeaders(Errors.databaseUnavailable('The database cannot be reached; retry shortly (a write answered so was not applied)'), {
    'retry-after': '5',
  })
}

/**
 * Logs a database outage once, with its cause, when it starts (the rest of its failed requests
 * at debug level); the database plugin logs its end. Returns the outage, if the error is one.
 */
export function noteDatabaseOutage(app: FastifyInstance, request: FastifyRequest, error: unknown): DatabaseOutage | undefined {
  const outage = databaseOutageOf(error)
  if (outage === undefined) return undefined
  if (app.database.outage.began(outage.kind)) {
    request.log.error({ cause: outage.cause }, outage.kind === 'busy' ? 'database busy: answering 503 until it can serve again' : 'database unavailable: answering 503 until it is back')
  } else {
    request.log.debug({ cause: outage.cause }, 'database outage continues')
  }
  return outage
}

function toServiceError(error: FastifyError): ServiceError {
  if (error.validation) {
    const location = LOCATIONS[error.validationContext ?? 'body'] ?? 'body'
    const errors = validationFieldErrors(error.validation as ValidationIssue[], location)
    return Object.assign(
      Errors.validationFailed(`The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`),
      { errors },
    )
  }
  const framework = FRAMEWORK_ERRORS[error.code]
  if (framework) return framework(error)
  const outage = databaseOutageOf(error)
  if (outage) return outageProblem(outage)
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return Errors.malformedBody('The body is not valid JSON')
  }
  const status = error.statusCode ?? 500
  // Our own catalogue errors carry upper-case codes without the framework prefix; any other
  // 4xx error from a plugin (the documentation's static files refusing a path that climbs
  // out of their folder, say) keeps its status and gets the catalogue's code for it, never
  // its internals.
  if (status >= 400 && status < 500) {
    if (/^[A-Z][A-Z_]+$/.test(error.code ?? '') && !error.code.startsWith('FST_')) return error
    const foreign = FOREIGN_ERRORS[status]?.() ?? Errors.malformedBody('The request could not be processed')
    return Object.assign(foreign, { statusCode: status })
  }
  return error
}

/** The catalogue's error for a plugin's own 4xx status. */
const FOREIGN_ERRORS: Record<number, () => ServiceError> = {
  403: () => Errors.forbidden('The request is not allowed on this path'),
  404: () => Errors.notFound('Nothing is here'),
  405: () => Errors.methodNotAllowed('The method is not allowed here'),
  412: () => Errors.preconditionFailed('A precondition of the request failed'),
  413: () => Errors.bodyTooLarge('The request body is larger than this route accepts'),
  415: () => Errors.unsupportedMediaType('Send the body as application/json'),
}

function titleOf(code: string): string {
  const words = code.toLowerCase().split('_').join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ServiceError): FastifyReply {
  const status = error.statusCode ?? 500
  const internal = status >= 500
  const code = internal && status === 500 ? 'INTERNAL_ERROR' : error.code
  for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value)
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: `urn:passerelle:problem:${code.toLowerCase().replaceAll('_', '-')}`,
      title: titleOf(code),
      status,
      detail: internal && status === 500 ? `Unexpected error; quote request id ${request.id}` : error.message,
      instance: request.url.split('?')[0] ?? '/',
      code,
      requestId: String(request.id),
      ...error.extensions,
      ...(error.errors ? { errors: error.errors } : {}),
    })
}

/**
 * Errors Fastify meets before routing (a malformed URL): answered as problems like any other,
 * with the headers every response carries. Passed as Fastify's `frameworkErrors` option.
 */
export function sendFrameworkProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS).header('x-request-id', request.id)
  request.log.info({ code: error.code }, 'request rejected before routing')
  sendProblem(request, reply, toServiceError(error))
}

/** What Node itself answers for a connection whose request it could not read (its error codes). */
const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request was not received within the time allowed' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', detail: 'The request headers are larger than the server accepts' },
  HPE_INVALID_URL: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    detail: 'The URL holds a character HTTP does not allow there (a space, or a letter outside ASCII such as é): ' +
      'percent-encode it, e.g. q=donn%C3%A9es (curl -G --data-urlencode \'q=données\' does it)',
  },
}
const MALFORMED_REQUEST = { status: 400, code: 'MALFORMED_REQUEST', detail: 'The request is not well-formed HTTP' }

/**
 * Fastify's `clientErrorHandler`: errors Node meets while reading a request (a timeout, a bad
 * header line, headers too large) answered as problems with the security headers and a request
 * id, instead of Fastify's plain JSON. The request was never routed, so the id is new (the
 * log line carries it) and the instance is named only when Node had read the request line.
 */
export function sendClientErrorProblem(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, code, detail } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED_REQUEST
  const requestId = randomUUID()
  // A response already under way on this connection cannot be replaced (Node's own rule).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean; req?: { url?: string } } })._httpMessage
  if (socket.writable && !inFlight?.headersSent) {
    const instance = inFlight?.req?.url?.split('?')[0]
    const body = JSON.stringify({ type: `urn:passerelle:problem:${code.toLowerCase().replaceAll('_', '-')}`, title: titleOf(code), status, detail, ...(instance ? { instance } : {}), code, requestId })
    const headers = { ...SECURITY_HEADERS, 'x-request-id': requestId, 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n\r\n${body}`)
  }
  this.log.info({ requestId, code, cause: error.code }, 'request refused while being read')
  socket.destroy(error)
}

/** Where to go instead, for a method a path does not allow but a newcomer might try. */
const METHOD_HINTS: Record<string, string> = {
  'DELETE /v1/offers/:id': 'an offer is withdrawn with DELETE /v1/institutions/{schac}/offers/{externalId}',
}

/** Statuses any route can answer (validation, rate limit, failure, overload), documented on every route. */
const COMMON_STATUSES = [400, 429, 500, 503]
const BODY_STATUSES = [413, 415]
/** Methods whose bodies are parsed (when one is sent, even where the route expects none). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Every error leaves the service as RFC 9457 problem JSON with a stable code: validation
 * failures (every field, by JSON Pointer), framework errors, unknown routes, wrong methods,
 * and unexpected failures (only a request id, never internals).
 */
async function problems(app: FastifyInstance) {
  // Knows every registered path, so a wrong method can be told apart from an unknown path.
  const knownPaths = FindMyWay<HTTPVersion.V1>()
  const methodsByRoute = new Map<string, Set<string>>()

  app.addHook('onRoute', (route) => {
    // CORS answers OPTIONS on every path; it says nothing about which paths exist.
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'OPTIONS')
    const schema = (route.schema ??= {}) as { response?: Record<number, unknown> }
    if (!route.schema.hide) {
      const statuses = [...COMMON_STATUSES, ...(methods.some((method) => BODY_METHODS.has(method)) ? BODY_STATUSES : [])]
      schema.response = { ...problemResponses(...statuses.filter((s) => !schema.response?.[s])), ...schema.response }
    }
    if (methods.length === 0) return
    let allowed = methodsByRoute.get(route.url)
    if (!allowed) {
      allowed = new Set()
      methodsByRoute.set(route.url, allowed)
      knownPaths.on('GET', route.url, () => {}, { url: route.url })
    }
    for (const method of methods) allowed.add(method)
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const serviceError = toServiceError(error)
    const status = serviceError.statusCode ?? 500
    if (noteDatabaseOutage(app, request, error)) {
      // logged once per outage
    } else if (status === 500) request.log.error({ err: loggableError(error) }, 'request failed')
    else if (status > 500) request.log.warn({ code: serviceError.code, err: loggableError(error) }, 'request not served')
    else request.log.info({ code: serviceError.code, status }, 'request rejected')
    return sendProblem(request, reply, serviceError)
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const match = knownPaths.find('GET', path)
    const route = match ? (match.store as { url: string }).url : undefined
    const allowed = route === undefined ? undefined : methodsByRoute.get(route)
    // A route that allows this method and still found nothing (a wildcard route serving
    // files, say) is a 404; 405 is only for a method the path does not allow.
    if (allowed && allowed.size > 0 && !allowed.has(request.method)) {
      const allow = [...allowed].sort().join(', ')
      reply.header('allow', allow)
      const hint = METHOD_HINTS[`${request.method} ${route}`]
      return sendProblem(request, reply, Errors.methodNotAllowed(`${request.method} is not allowed here; use ${allow}${hint ? ` (${hint})` : ''}`))
    }
    return sendProblem(request, reply, Errors.notFound(`No route ${request.method} ${path}`))
  })
}

export default fp(problems, { name: 'problems', dependencies: ['database'] })
