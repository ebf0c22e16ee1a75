import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database, DatabaseHandle } from '../db/client.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    database: DatabaseHandle
  }
}

export interface DatabasePluginOptions {
  handle: DatabaseHandle
  /** Close the handle with the app (false when the caller owns it, as tests do). */
  closeOnShutdown: boolean
}

async function database(app: FastifyInstance, options: DatabasePluginOptions) {
  app.decorate('database', options.handle)
  app.decorate('db', options.handle.db)
  if (options.closeOnShutdown) app.addHook('onClose', () => options.handle.close())
}

export default fp(database, { name: 'database' })
