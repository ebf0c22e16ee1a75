import v8 from 'node:v8'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { openDatabase } from './db/client.js'
import { DataDirectoryInUseError } from './db/data-directory-lock.js'
import { seedDemoIfEmpty } from './demo/seed.js'

/**
 * After a full collection V8 lets the heap grow up to four times what survived before the
 * next one. A 5,000-offer sync leaves ~150 MB of garbage, so a few syncs took the process
 * from ~150 MB to ~330 MB of RSS. Growing by at most 50 % keeps it near its live size for
 * a few more (short, incremental) collections.
 */
const HEAP_GROWING_PERCENT = 50

async function main() {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  const config = loadConfig()
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: config.pgliteDataDir,
    poolMax: config.dbPoolMax,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  })
  if (config.migrateOnStart) await database.migrate()

  const app = await buildApp({ config, database })
  app.addHook('onClose', () => database.close())

  const demo = config.seedDemo ? await seedDemoIfEmpty(database.db, { keysFile: config.databaseUrl ? undefined : `${config.pgliteDataDir}/demo-keys.json` }) : undefined

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the pool, exit 0.
  // Responses sent while closing ask the client to drop the connection; otherwise a
  // keep-alive socket that was busy when the signal came would hold the close open.
  let closing = false
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    closing = true
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })

  const address = await app.listen({ port: config.port, host: config.host })
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.pgliteDataDir}`
  app.log.info(`Passerelle listening on ${address} (database: ${where})`)
  // On stderr, apart from the log lines on stdout (JSON lines stay JSON lines for whatever reads them).
  const lines = [`\nPasserelle is up at ${address}`, `  API docs:  ${address}/docs`, `  OpenAPI:   ${address}/openapi.json`]
  // The portal is there when `npm run build` made its bundle (npm start does).
  if (app.hasRoute({ method: 'GET', url: '/' })) lines.push(`  Portal:    ${address}/`)
  if (demo) {
    lines.push(demo.created ? '  Demo data loaded. Demo keys (keep them; they are not shown again by the API):' : '  Demo keys:')
    for (const key of demo.keys) lines.push(`    ${key.role.padEnd(50)} ${key.key}`)
  }
  process.stderr.write(`${lines.join('\n')}\n\n`)
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(78)
  }
  const reason = error instanceof DataDirectoryInUseError ? error.message : error instanceof Error ? error.stack : String(error)
  process.stderr.write(`Passerelle failed to start: ${reason}\n`)
  process.exit(1)
})
