import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import { lockDataDirectory } from './data-directory-lock.js'
import { OutageState, databaseOutageOf } from './errors.js'
import * as schema from './schema.js'

export type Schema = typeof schema
export type Database = PgDatabase<PgQueryResultHKT, Schema>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** What a repository method runs on: the database, or a transaction already under way. */
export type Executor = Database | Transaction

/** The rows of a raw `execute`: node-postgres and PGlite both return `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows
}

export interface DatabaseHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  /** Applies every pending migration; safe to run from several processes at once. */
  migrate(): Promise<void>
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  /** Whether the database is unreachable or saturated right now (as last seen). */
  outage: OutageState
  /**
   * The database through connections of their own (at most `max`) that start with these
   * settings, so that a statement needing them runs alone, in one round trip, instead of in a
   * transaction that sets them first (three round trips more). Undefined on PGlite: a single
   * connection, on which settings go in a transaction.
   */
  sessionWith(settings: SessionSettings, max: number): Database | undefined
  close(): Promise<void>
}

/** Server settings of a session, by name (values as `SET` takes them, without spaces). */
export type SessionSettings = Readonly<Record<string, string>>

/** The `options` startup parameter that gives a session these settings. */
export function sessionOptions(settings: SessionSettings): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      if (!/^[a-z_][a-z0-9_.]*$/.test(name) || !/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`Not a session setting: ${name}=${value}`)
      return `-c ${name}=${value}`
    })
    .join(' ')
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite in `pgliteDataDir` (or in memory). */
  databaseUrl?: string
  pgliteDataDir?: string
  poolMax?: number
  statementTimeoutMs?: number
}

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
)

/** Any value fits: it only has to be the same in every process running migrations. */
const MIGRATION_LOCK_ID = 7_342_115_001

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl === undefined
    ? openPglite(options.pgliteDataDir)
    : openPostgres(options.databaseUrl, options)
}

function openPool(config: pg.PoolConfig, outage: OutageState): pg.Pool {
  const pool = new pg.Pool({ idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, ...config })
  // A connection the server drops (restart, pg_terminate_backend) emits an error on its
  // client. Idle: the pool discards it. Checked out: the query under way fails and its
  // transaction rolls back; without a listener the event would crash the process.
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    client.on('error', () => {})
    // A new connection means the server is reachable again.
    outage.ended()
  })
  retryReadsOnLostConnections(pool)
  return pool
}

async function openPostgres(connectionString: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  const outage = new OutageState()
  const pool = openPool({ connectionString, max: options.poolMax ?? 10, statement_timeout: options.statementTimeoutMs ?? 10_000 }, outage)
  const sessionPools: pg.Pool[] = []
  const db = drizzlePg(pool, { schema }) as unknown as Database
  return {
    db,
    kind: 'postgres',
    outage,
    sessionWith(settings, max) {
      // The settings travel in the startup packet, as the main pool's statement timeout does.
      const sessions = openPool({ connectionString, max, options: sessionOptions(settings) }, outage)
      sessionPools.push(sessions)
      return drizzlePg(sessions, { schema }) as unknown as Database
    },
    async migrate() {
      // Replicas starting together must not apply the same migration twice: one dedicated
      // connection holds an advisory lock for the whole run.
      const client = new pg.Client({ connectionString })
      await client.connect()
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID])
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER })
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {})
        await client.end()
      }
    },
    ping: () => pingDatabase(db, outage),
    async close() {
      await Promise.all([pool.end(), ...sessionPools.map((sessions) => sessions.end())])
    },
  }
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  let release = () => {}
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true })
    release = lockDataDirectory(dataDir)
  }
  const client = new PGlite(dataDir)
  try {
    await client.waitReady
  } catch (error) {
    release()
    throw error
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database
  const outage = new OutageState()
  return {
    db,
    kind: 'pglite',
    outage,
    // One process holds the folder (the lock above) and PGlite is a single connection in it:
    // nothing else can migrate concurrently.
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => pingDatabase(db, outage),
    sessionWith: () => undefined,
    async close() {
      try {
        await client.close()
      } finally {
        release()
      }
    },
  }
}

const READ_ATTEMPTS = 3

/** The server ended the session (admin shutdown, crash, restart) or the socket broke. */
function isConnectionLost(error: unknown): boolean {
  return databaseOutageOf(error)?.kind === 'unavailable'
}

/**
 * When the server drops the pool's connections, a query can be sent on one before its
 * termination notice has been read. A read outside a transaction is then retried (a read has
 * no effect to repeat), after letting the pool read the other notices and discard those
 * connections too; writes run in transactions and are not retried.
 */
function retryReadsOnLostConnections(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>
  const isRead = (args: unknown[]) => {
    const first = args[0]
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text
    return typeof text === 'string' && /^\s*select\b/i.test(text)
  }
  ;(pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    if (typeof args[args.length - 1] === 'function' || !isRead(args)) return query(...args)
    for (let attempt = 1; ; attempt++) {
      try {
        return await query(...args)
      } catch (error) {
        if (attempt >= READ_ATTEMPTS || !isConnectionLost(error)) throw error
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
  }
}

async function pingDatabase(db: Database, outage: OutageState): Promise<void> {
  await db.execute(sql`select 1`)
  outage.ended()
}
