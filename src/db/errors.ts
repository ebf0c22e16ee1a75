/** The PostgreSQL error behind a failed query (drizzle wraps the driver's error in `cause`). */
export interface PgError {
  code?: string
  constraint?: string
}

export function pgErrorOf(error: unknown): PgError | undefined {
  const candidate = (error as { cause?: PgError })?.cause ?? (error as PgError)
  return typeof candidate?.code === 'string' ? candidate : undefined
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(error)
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint)
}

/**
 * Why the database could not serve a query, when the reason is the database's availability
 * rather than the query: `unavailable` when it cannot be reached or dropped the connection
 * (refused, reset, terminated, shutting down), `busy` when every pooled connection stayed in use
 * for the pool's whole wait, or the server has no connection slot left.
 */
export type DatabaseOutageKind = 'unavailable' | 'busy'

export interface DatabaseOutage {
  kind: DatabaseOutageKind
  /** What the log may say: a driver or socket code and its message, which quote no data. */
  cause: { code: string; message: string }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // admin_shutdown, crash_shutdown, cannot_connect_now, connection exceptions
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
])
// too_many_connections; query_canceled (the statement timeout)
const BUSY_CODES = new Set(['53300', '57014'])
const UNAVAILABLE_MESSAGES = /Connection terminated|connection is closed|Client has encountered a connection error|Client was closed|not queryable/i
const BUSY_MESSAGES = /timeout exceeded when trying to connect/i

function outageOf(error: Error & { code?: unknown; errors?: unknown[] }): DatabaseOutage | undefined {
  // A connection attempt to several addresses fails as one AggregateError.
  const code = typeof error.code === 'string' ? error.code : ((error.errors?.[0] as { code?: unknown } | undefined)?.code as string | undefined)
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return { kind: 'unavailable', cause: { code, message: error.message } }
  if (code !== undefined && BUSY_CODES.has(code)) return { kind: 'busy', cause: { code, message: error.message } }
  if (BUSY_MESSAGES.test(error.message)) return { kind: 'busy', cause: { code: 'POOL_EXHAUSTED', message: error.message } }
  if (UNAVAILABLE_MESSAGES.test(error.message)) return { kind: 'unavailable', cause: { code: code ?? 'CONNECTION_LOST', message: error.message } }
  return undefined
}

/** The outage behind an error (a driver error, or one wrapped by drizzle), if it is one. */
export function databaseOutageOf(error: unknown): DatabaseOutage | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const outage = outageOf(current)
    if (outage) return outage
  }
  return undefined
}

/**
 * Whether an outage is under way, so that it is logged once when it starts and once when it
 * ends, not once per failed request. Ended by a new connection or a successful ping.
 */
export class OutageState {
  private current: DatabaseOutageKind | undefined
  private readonly listeners: Array<(kind: DatabaseOutageKind) => void> = []

  /** True when this starts an outage (or turns a busy database into an unreachable one). */
  began(kind: DatabaseOutageKind): boolean {
    if (this.current === kind || this.current === 'unavailable') return false
    this.current = kind
    return true
  }

  ended(): void {
    const previous = this.current
    if (previous === undefined) return
    this.current = undefined
    for (const listener of this.listeners) listener(previous)
  }

  onEnd(listener: (kind: DatabaseOutageKind) => void): void {
    this.listeners.push(listener)
  }
}
