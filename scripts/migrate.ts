// Applies pending migrations to DATABASE_URL, or to the embedded database when it is unset.
import { ConfigError, loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { DataDirectoryInUseError } from '../src/db/data-directory-lock.js'

try {
  const config = loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
  try {
    await database.migrate()
    process.stdout.write(`migrations applied (${database.kind})\n`)
  } finally {
    await database.close()
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError || error instanceof DataDirectoryInUseError ? error.message : error instanceof Error ? error.stack : error}\n`)
  process.exit(1)
}
