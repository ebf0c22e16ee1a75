import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database, DatabaseHandle } from '../db/client.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    database: DatabaseHandle
  }
}

/** The database the app was built with; whoever opened it closes it. */
async function database(app: FastifyInstance, options: { handle: DatabaseHandle }) {
  app.decorate('database', options.handle)
  app.decorate('db', options.handle.db)
  options.handle.outage.onEnd((kind) => app.log.info({ kind }, 'database back: serving again'))
}

export default fp(database, { name: 'database' })
