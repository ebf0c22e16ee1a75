import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** dist/portal/ of this checkout, from src/ (tsx) as from dist/ (node). */
const DEFAULT_PORTAL_DIR = fileURLToPath(new URL('../dist/portal', import.meta.url))

/** The whole service configuration, read once from the environment and validated. */
export interface Config {
  port: number
  host: string
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl: string | undefined
  pgliteDataDir: string
  dbPoolMax: number
  dbStatementTimeoutMs: number
  logLevel: LogLevel
  /** Readable lines (pino-pretty) or JSON lines; `auto`: readable when stdout is a terminal. */
  logFormat: LogFormat
  /** Operator credential (scope registry:admin); absent disables operator access by token. */
  adminToken: string | undefined
  corsOrigins: string[]
  /** Secret that signs pagination cursors; must be the same on every replica. */
  cursorSecret: string
  bodyLimitBytes: number
  /** Body limit of the bulk sync route, which takes thousands of offers at once. */
  syncBodyLimitBytes: number
  requestTimeoutMs: number
  /** Time a read (GET/HEAD) may take from routing to the response; writes are not cut off. */
  handlerTimeoutMs: number
  migrateOnStart: boolean
  /** Load demo data into an empty embedded database at start-up. */
  seedDemo: boolean
  /** The portal's bundle (`npm run build` writes it); served at `/` when it holds index.html. */
  portalDir: string
  trustProxy: boolean
  isProduction: boolean
  /** Shared store for rate limits across replicas; absent means per-process memory. */
  redisUrl: string | undefined
  /** Requests per window for each API client. */
  rateLimitMax: number
  /** Requests per window for each address without a credential. */
  rateLimitAnonymousMax: number
  /** Failed authentications per window from one address before its credentials go unchecked. */
  authFailureLimitMax: number
  rateLimitWindowMs: number
  /** Shed load (503) when the event loop lags more than this; 0 turns shedding off. */
  maxEventLoopDelayMs: number
  /** Full-text searches running at once per process (the rest of the pool stays for other requests). */
  searchConcurrency: number
  /** Full-text searches that may wait for a slot (each at most one search timeout); beyond, 503. */
  searchQueue: number
  /** Statement timeout of a full-text search, shorter than DB_STATEMENT_TIMEOUT_MS. */
  searchStatementTimeoutMs: number
  /** The search indexer: runs in this process (off where another process of the deployment runs it). */
  searchIndexer: SearchIndexerConfig & { enabled: boolean }
  webhooks: WebhookConfig
  exports: ExportConfig
  ooapi: OoapiConfig
}

/** The search indexer (catalogue/search-indexer.ts). */
export interface SearchIndexerConfig {
  /** How often an idle indexer looks for queued offers. */
  pollIntervalMs: number
  /** Offers indexed per transaction. */
  batch: number
}

/** The OOAPI v5 view (see the README, OOAPI: for portals and university systems). */
export interface OoapiConfig {
  /** PUBLIC_BASE_URL: where the service root says the specification and documentation are; absent: the request's own origin. */
  publicBaseUrl: string | undefined
  /** OOAPI_CONTACT_EMAIL: the service root's contact; absent: postmaster@ the public host (RFC 5321 §4.5.1), see the OOAPI routes. */
  contactEmail: string | undefined
}

/** ELM versions an export can be written in (src/modules/exports/namespace.ts has their namespaces). */
export const ELM_VERSIONS = ['3.1', '3.3'] as const
export type ElmVersion = (typeof ELM_VERSIONS)[number]

/** Exports (see the README, Exports). */
export interface ExportConfig {
  /** The public address that offer and institution URIs are built from (PUBLIC_BASE_URL); absent: the request's own origin. */
  publicBaseUrl: string | undefined
  /** ELM_VERSION: 3.1 (the default, which the staged shapes check) or 3.3. */
  elmVersion: ElmVersion
}

/** Webhook delivery settings (see the README, Webhooks). */
export interface WebhookConfig {
  /** Runs the delivery dispatcher in this process. */
  dispatcher: boolean
  pollIntervalMs: number
  /** Deliveries under way at once in this process. */
  concurrency: number
  /** Deliveries under way at once in this process for one subscription (so a slow one cannot take every slot). */
  concurrencyPerSubscription: number
  /** Time one attempt may take, connection included. */
  attemptTimeoutMs: number
  /** Delays before each retry (jitter is added); when they run out, the delivery has failed. */
  retryDelaysMs: number[]
  /** Automatic deliveries failing for this long disable the subscription. */
  disableAfterMs: number
  /** How long the delivery log is kept. */
  logRetentionMs: number
  /** How long a rotated-out secret still signs. */
  secretGraceMs: number
  /** Accept http: subscriber URLs (tests, development). */
  allowHttp: boolean
  /** Addresses (CIDR) subscribers may resolve to despite being private or loopback (tests). */
  allowedAddresses: string[]
  /** Base of the URLs in payloads (`https://api.example.eu`); absent: paths only. */
  publicBaseUrl: string | undefined
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Used only outside production, so that a development checkout works without set-up. */
const DEVELOPMENT_CURSOR_SECRET = 'passerelle-development-cursor-secret'

type Env = Record<string, string | undefined>

/**
 * Reads the environment into a Config. Every bad variable is reported at once, by name,
 * so an operator fixes a deployment in one pass.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const read = new EnvReader(env, problems)
  const isProduction = env.NODE_ENV === 'production'

  const databaseUrl = read.optional('DATABASE_URL')
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// connection string')
  }

  const redisUrl = read.optional('REDIS_URL')
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL')
  }

  const adminToken = read.optional('ADMIN_TOKEN')
  if (adminToken !== undefined && adminToken.length < 32) {
    problems.push('ADMIN_TOKEN must be at least 32 characters long')
  }

  let cursorSecret = read.optional('CURSOR_SECRET')
  if (cursorSecret === undefined) {
    if (isProduction) problems.push('CURSOR_SECRET is required when NODE_ENV=production')
    cursorSecret = DEVELOPMENT_CURSOR_SECRET
  } else if (cursorSecret.length < 32) {
    problems.push('CURSOR_SECRET must be at least 32 characters long')
  }

  const corsOrigins = (read.optional('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0)
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`CORS_ORIGINS entry "${origin}" must be an origin such as https://portal.example.eu`)
    }
  }

  const dbPoolMax = read.integer('DB_POOL_MAX', 10, 1, 1000)
  // A quarter of the pool: ranked searches are CPU-bound in PostgreSQL, and the rest of the
  // pool (and of its CPU) stays for every other request.
  const searchConcurrency = read.integer('SEARCH_CONCURRENCY', Math.max(1, Math.floor(dbPoolMax / 4)), 1, 1000)
  const webhooks = readWebhookConfig(read, problems)
  const config: Config = {
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.optional('HOST') ?? '127.0.0.1',
    databaseUrl,
    pgliteDataDir: path.resolve(read.optional('PGLITE_DATA_DIR') ?? './data'),
    dbPoolMax,
    dbStatementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, 'auto'),
    adminToken,
    corsOrigins,
    cursorSecret,
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    syncBodyLimitBytes: read.integer('SYNC_BODY_LIMIT_BYTES', 64 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
    handlerTimeoutMs: read.integer('HANDLER_TIMEOUT_MS', 30_000, 100, 600_000),
    migrateOnStart: read.boolean('MIGRATE_ON_START', true),
    seedDemo: read.boolean('SEED_DEMO', databaseUrl === undefined),
    portalDir: path.resolve(read.optional('PORTAL_DIR') ?? DEFAULT_PORTAL_DIR),
    trustProxy: read.boolean('TRUST_PROXY', false),
    isProduction,
    redisUrl,
    rateLimitMax: read.integer('RATE_LIMIT_MAX', 1200, 1, 10_000_000),
    rateLimitAnonymousMax: read.integer('RATE_LIMIT_ANONYMOUS_MAX', 300, 1, 10_000_000),
    authFailureLimitMax: read.integer('AUTH_FAILURE_LIMIT_MAX', 20, 1, 10_000_000),
    rateLimitWindowMs: read.integer('RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
    maxEventLoopDelayMs: read.integer('MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
    searchConcurrency,
    searchQueue: read.integer('SEARCH_QUEUE', 50, 0, 100_000),
    searchStatementTimeoutMs: read.integer('SEARCH_STATEMENT_TIMEOUT_MS', 2000, 100, 600_000),
    searchIndexer: {
      enabled: read.boolean('SEARCH_INDEXER', true),
      pollIntervalMs: read.integer('SEARCH_INDEX_POLL_INTERVAL_MS', 200, 10, 60_000),
      batch: read.integer('SEARCH_INDEX_BATCH', 500, 1, 100_000),
    },
    webhooks,
    exports: { publicBaseUrl: webhooks.publicBaseUrl, elmVersion: read.oneOf('ELM_VERSION', ELM_VERSIONS, '3.1') },
    ooapi: { publicBaseUrl: webhooks.publicBaseUrl, contactEmail: readContactEmail(read, problems) },
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function readContactEmail(read: EnvReader, problems: string[]): string | undefined {
  const email = read.optional('OOAPI_CONTACT_EMAIL')
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problems.push('OOAPI_CONTACT_EMAIL must be an e-mail address')
  return email
}

const DAY_MS = 86_400_000
/** About a day of retries: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (as Standard Webhooks suggests). */
const DEFAULT_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]

function readWebhookConfig(read: EnvReader, problems: string[]): WebhookConfig {
  const list = (name: string) => (read.optional(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0)
  const delays = list('WEBHOOK_RETRY_DELAYS_MS').map(Number)
  if (delays.some((delay) => !Number.isInteger(delay) || delay < 0 || delay > 7 * DAY_MS)) {
    problems.push('WEBHOOK_RETRY_DELAYS_MS must be a comma-separated list of delays in milliseconds (each at most 7 days)')
  }
  const allowedAddresses = list('WEBHOOK_ALLOWED_ADDRESSES')
  for (const address of allowedAddresses) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(address)) problems.push(`WEBHOOK_ALLOWED_ADDRESSES entry "${address}" must be an IP address or CIDR range`)
  }
  const publicBaseUrl = read.optional('PUBLIC_BASE_URL')?.replace(/\/+$/, '')
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/\s]+$/.test(publicBaseUrl)) {
    problems.push('PUBLIC_BASE_URL must be an origin such as https://api.example.eu')
  }
  return {
    dispatcher: read.boolean('WEBHOOK_DISPATCHER', true),
    pollIntervalMs: read.integer('WEBHOOK_POLL_INTERVAL_MS', 200, 10, 60_000),
    concurrency: read.integer('WEBHOOK_CONCURRENCY', 64, 1, 1000),
    concurrencyPerSubscription: read.integer('WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION', 4, 1, 1000),
    attemptTimeoutMs: read.integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    retryDelaysMs: delays.length > 0 ? delays : DEFAULT_RETRY_DELAYS_MS,
    disableAfterMs: read.integer('WEBHOOK_DISABLE_AFTER_MS', 3 * DAY_MS, 1000, 90 * DAY_MS),
    logRetentionMs: read.integer('WEBHOOK_LOG_RETENTION_MS', 30 * DAY_MS, 60_000, 365 * DAY_MS),
    secretGraceMs: read.integer('WEBHOOK_SECRET_GRACE_MS', DAY_MS, 0, 30 * DAY_MS),
    allowHttp: read.boolean('WEBHOOK_ALLOW_HTTP', false),
    allowedAddresses,
    publicBaseUrl,
  }
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  optional(name: string): string | undefined {
    const value = this.env[name]
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name)
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`)
      return fallback
    }
    return value
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)
    if (raw === undefined) return fallback
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false
    this.problems.push(`${name} must be true or false (got "${raw}")`)
    return fallback
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name)
    if (raw === undefined) return fallback
    if ((allowed as readonly string[]).includes(raw)) return raw as T
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`)
    return fallback
  }
}
