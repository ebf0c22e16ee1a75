import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js'

/** The PostgreSQL server tests use; CI always has one at this address. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

let reachable: Promise<boolean> | undefined

/** Whether the PostgreSQL server answers; without one, tests fall back to PGlite. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.query('select 1')
      return true
    } catch {
      if (process.env.CI) throw new Error(`CI needs PostgreSQL at ${TEST_SERVER_URL}`)
      return false
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return reachable
}

async function adminQuery(sql: string, connectionString = TEST_SERVER_URL): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  handle: DatabaseHandle
  /** Connection string of the test's own database (undefined on PGlite). */
  url: string | undefined
  drop(): Promise<void>
}

/**
 * A fresh, migrated database for one test file: its own database on the PostgreSQL server,
 * or an in-memory PGlite when no server is reachable (or when `pglite` is asked for). On a
 * server, `extensions` are created in it first (the test's own database: dropped with it).
 */
export async function createTestDatabase(options: { pglite?: boolean; extensions?: string[] } = {}): Promise<TestDatabase> {
  if (options.pglite || !(await postgresReachable())) {
    const handle = await openDatabase({})
    await handle.migrate()
    return { handle, url: undefined, drop: () => handle.close() }
  }
  const name = `passerelle_test_${process.pid}_${randomBytes(4).toString('hex')}`
  await adminQuery(`create database "${name}"`)
  const url = new URL(TEST_SERVER_URL)
  url.pathname = `/${name}`
  // Created before the migrations, as an operator would (the migrations never create one).
  for (const extension of options.extensions ?? []) await adminQuery(`create extension if not exists "${extension}"`, url.toString())
  const handle = await openDatabase({ databaseUrl: url.toString(), poolMax: 10 })
  await handle.migrate()
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close().catch(() => {})
      await adminQuery(`drop database if exists "${name}" with (force)`)
    },
  }
}
