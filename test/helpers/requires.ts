import { spawnSync } from 'node:child_process'
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { Redis } from 'ioredis'
import pg from 'pg'
import tap, { type Test } from 'tap'
import { TEST_SERVER_URL, postgresReachable } from './database.js'

/**
 * What a test may need that a machine can lack. A developer's machine without it skips the
 * test, saying why; CI, which must have it, fails the test, saying why.
 */
interface Requirement {
  /** Why the test cannot run, as the skip or the failure reports it. */
  missing: string
  present(): Promise<boolean>
}

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const CHROMIUM = '/usr/bin/chromium'

function address(url: string, defaultPort: number): string {
  const { hostname, port } = new URL(url)
  return `${hostname}:${port || defaultPort}`
}

const REQUIREMENTS = {
  postgres: {
    missing: `needs a PostgreSQL server at ${address(TEST_SERVER_URL, 5432)} (several processes share one database); none answered`,
    // The same probe that makes the other tests fall back to PGlite (which throws in CI: here
    // the test reports the requirement by name instead).
    present: () => postgresReachable().catch(() => false),
  },
  redis: {
    missing: `needs Redis at ${address(REDIS_URL, 6379)} (replicas share it); none answered`,
    async present() {
      const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 })
      try {
        await redis.connect()
        return (await redis.ping()) === 'PONG'
      } catch {
        return false
      } finally {
        redis.disconnect()
      }
    },
  },
  chromium: {
    missing: `needs Chromium at ${CHROMIUM} (Debian's chromium package); none is installed`,
    present: () => access(CHROMIUM, constants.X_OK).then(() => true, () => false),
  },
  rum: {
    missing: `needs the rum extension on the PostgreSQL server at ${address(TEST_SERVER_URL, 5432)} (Debian's postgresql-<version>-rum package); it has none`,
    async present() {
      if (!(await postgresReachable().catch(() => false))) return false
      const client = new pg.Client({ connectionString: TEST_SERVER_URL })
      await client.connect()
      try {
        return (await client.query(`select 1 from pg_available_extensions where name = 'rum'`)).rowCount === 1
      } finally {
        await client.end()
      }
    },
  },
  xmllint: {
    missing: 'needs xmllint (Debian\'s libxml2-utils package) to validate XML against an XSD; none is installed',
    present: async () => spawnSync('xmllint', ['--version']).status === 0,
  },
} satisfies Record<string, Requirement>

export type Need = keyof typeof REQUIREMENTS

/** CI is any run with CI set (as CI services set it), unless set to false. */
export const inCI = !['', '0', 'false'].includes(process.env.CI ?? '')

/**
 * Declares what `t` needs; call it before the test's first assertion. Resolves to true when
 * everything is there. Otherwise `t` ends, skipped with the reason (tap lists it among the
 * skips), or failed with the reason in CI, and it resolves to false: the test returns.
 *
 *   t.test('load shedding …', async (t) => {
 *     if (!(await requires(t, 'postgres'))) return
 *     …
 *   })
 *
 * At the top of a file (`t` is tap's root), the whole file is skipped or failed, and the file
 * stops there (the process exits: an ES module cannot return from its top level).
 *
 *   await requires(t, 'postgres')
 */
export async function requires(t: Test, ...needs: Need[]): Promise<boolean> {
  const missing: string[] = []
  for (const need of needs) {
    const requirement: Requirement = REQUIREMENTS[need]
    if (!(await requirement.present())) missing.push(requirement.missing)
  }
  if (missing.length === 0) return true
  const reason = missing.join('; ')
  if (t !== tap) {
    if (inCI) t.fail(reason)
    else t.plan(0, reason)
    return false
  }
  // A whole file: a skipped test stands for it, so that tap's closing summary lists the reason
  // (a root `plan(0, reason)` is only counted there).
  if (inCI) t.fail(reason)
  else t.test('every test in this file', { skip: reason }, () => {})
  t.end()
  process.exit()
}
