import { DrizzleQueryError } from 'drizzle-orm'
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  '*.key',
  '*.adminToken',
  '*.learnerRef',
]

const CENSOR = '[redacted]'

/**
 * The request URL for the log: the path and the names of its query parameters, not their
 * values (a learner reference, a search for a person's name).
 */
export function loggableUrl(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const names = url
    .slice(start + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => `${pair.split('=')[0]}=${CENSOR}`)
  return `${url.slice(0, start)}?${names.join('&')}`
}

interface DatabaseErrorFields {
  code?: unknown
  constraint?: unknown
  table?: unknown
  column?: unknown
}

function queryErrorIn(error: unknown): DrizzleQueryError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof DrizzleQueryError) return current
  }
  return undefined
}

/**
 * What the log may say about an error. A failed query's message lists its parameters
 * (learner references, key hashes, personal data) and the database's own message quotes
 * offending values, so an error involving a query is logged by its statement (placeholders
 * only) and the database error's SQLSTATE, constraint, table and column.
 */
export function loggableError(error: unknown): unknown {
  const query = queryErrorIn(error)
  if (query === undefined) return error
  const cause = (query.cause ?? {}) as DatabaseErrorFields
  const stack = (error as Error).stack ?? ''
  return {
    type: (error as Error).constructor.name,
    message: 'A database query failed (parameters and database message withheld)',
    query: query.query,
    cause: { code: cause.code, constraint: cause.constraint, table: cause.table, column: cause.column },
    stack: stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
  }
}

/** Readable log lines for a person at a terminal; JSON lines for anything that reads them. */
export function prettyLogs(config: Pick<Config, 'logFormat'>, isTerminal = process.stdout.isTTY === true): boolean {
  return config.logFormat === 'pretty' || (config.logFormat === 'auto' && isTerminal)
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // pino-pretty formats in a worker thread, after redaction.
    ...(prettyLogs(config) ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: loggableUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  }
}
