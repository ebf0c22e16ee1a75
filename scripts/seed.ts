// Loads the demo registry and one API client per role into DATABASE_URL (or the embedded
// database). Refuses a database that already holds data unless --force is given.
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { isDatabaseEmpty, seedDemo } from '../src/demo/seed.js'
import { startupFailure } from './lib/cli.js'

/** A write of the demo data was refused: the transaction was rolled back. */
class SeedRefused extends Error {
  constructor(cause: unknown) {
    const code = (cause as { code?: unknown }).code
    const reason = cause instanceof Error ? `${typeof code === 'string' ? `${code}: ` : ''}${cause.message}` : String(cause)
    super(`Seeding failed and nothing was written (the demo data is loaded in one transaction): ${reason}`, { cause })
  }
}

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } })

try {
  const config = loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
  try {
    await database.migrate()
    if (!values.force && !(await isDatabaseEmpty(database.db))) {
      process.stderr.write('The database already holds data: not seeding. Use --force to add the demo data anyway.\n')
      process.exitCode = 1
    } else {
      let keys
      try {
        keys = await seedDemo(database.db)
      } catch (error) {
        throw new SeedRefused(error)
      }
      if (values.json) process.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`)
      else {
        process.stdout.write('Demo data loaded. Demo keys (shown only now):\n')
        for (const key of keys) process.stdout.write(`  ${key.role.padEnd(50)} ${key.key}\n`)
      }
    }
  } finally {
    await database.close()
  }
} catch (error) {
  process.stderr.write(`${error instanceof SeedRefused ? error.message : startupFailure(error)}\n`)
  process.exitCode = 1
}
