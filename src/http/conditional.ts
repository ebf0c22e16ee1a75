import type { FastifyReply, FastifyRequest } from 'fastify'
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

export function preconditionsFrom(request: FastifyRequest): Preconditions {
  const header = (name: string) => {
    const value = request.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }
  return { ifMatch: header('if-match'), ifNoneMatch: header('if-none-match') }
}

/**
 * Sends a single resource with its ETag, or 304 when the client's copy is current.
 */
export function sendTagged<T>(request: FastifyRequest, reply: FastifyReply, etag: string, body: T, status = 200) {
  reply.header('etag', etag)
  const ifNoneMatch = request.method === 'GET' || request.method === 'HEAD' ? request.headers['if-none-match'] : undefined
  if (isNotModified(ifNoneMatch, etag)) return reply.code(304).send()
  return reply.code(status).send(body)
}
