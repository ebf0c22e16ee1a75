import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { isNotModified, type Preconditions } from '../lib/preconditions.js'

export const WriteConditionHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'Apply only if the resource\'s current ETag is one of these' }),
  ),
  'if-none-match': Type.Optional(
    Type.String({ description: '`*` to create only: fails with 412 if the resource exists' }),
  ),
})

export const ReadConditionHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.String({ description: 'ETag of a cached copy: 304 if it is current' })),
})

/** The response entry for a conditional read whose cached copy is current. */
export const NOT_MODIFIED = { 304: { description: 'Not modified: the cached copy is current', type: 'null' } }

export const ETAG_HEADER = {
  ETag: { type: 'string', description: 'Strong entity tag of the current version' },
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The write's conditional headers (If-Match, If-None-Match), checked by the service. */
    readonly preconditions: Preconditions
  }
  interface FastifyReply {
    /** Sends a single resource with its ETag, or 304 to a read whose cached copy is current. */
    sendTagged<T>(etag: string, body: T, status?: number): FastifyReply
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** Conditional requests (RFC 9110 §13): ETags on single resources, preconditions on writes. */
async function conditional(app: FastifyInstance) {
  app.decorateRequest('preconditions', {
    getter(this: FastifyRequest): Preconditions {
      return { ifMatch: header(this, 'if-match'), ifNoneMatch: header(this, 'if-none-match') }
    },
  })

  app.decorateReply('sendTagged', function sendTagged<T>(this: FastifyReply, etag: string, body: T, status = 200) {
    this.header('etag', etag)
    const { method } = this.request
    const ifNoneMatch = method === 'GET' || method === 'HEAD' ? this.request.headers['if-none-match'] : undefined
    if (isNotModified(ifNoneMatch, etag)) return this.code(304).send()
    return this.code(status).send(body)
  })
}

export default fp(conditional, { name: 'conditional' })
