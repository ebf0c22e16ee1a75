// Applies pending migrations to DATABASE_URL, or to the embedded database when it is unset.
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { isDatabaseEmpty } from '../src/demo/seed.js'
import { startupFailure } from './lib/cli.js'

try {
  const config = loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
  try {
    await database.migrate()
    process.stdout.write(`migrations applied (${database.kind})\n`)
    if (await isDatabaseEmpty(database.db)) {
      process.stdout.write('The database is empty: npm run seed loads the demo data; npm run admin -- institutions put … registers your own.\n')
    }
  } finally {
    await database.close()
  }
} catch (error) {
  process.stderr.write(`${startupFailure(error)}\n`)
  process.exit(1)
}
