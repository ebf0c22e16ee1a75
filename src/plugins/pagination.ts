import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createCursorCodec, type CursorCodec } from '../lib/cursor.js'

declare module 'fastify' {
  interface FastifyInstance {
    cursors: CursorCodec
  }
}

async function pagination(app: FastifyInstance, options: { secret: string }) {
  app.decorate('cursors', createCursorCodec(options.secret))
}

export default fp(pagination, { name: 'pagination' })
