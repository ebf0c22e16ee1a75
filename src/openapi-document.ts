import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { openDatabase } from './db/client.js'

/**
 * The OpenAPI document exactly as the running service serves it, generated from the route
 * schemas. Needs no database content: an empty in-memory one satisfies the app's wiring.
 */
export async function generateOpenApiDocument(): Promise<string> {
  const database = await openDatabase({})
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', WEBHOOK_DISPATCHER: 'false' }),
    database,
    logger: false,
  })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    await database.close()
  }
}

export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)
