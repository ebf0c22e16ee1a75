import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { canonicalJson } from '../lib/canonical-json.js'
import type { IdempotencyRequest, WriteResponse } from '../modules/idempotency/service.js'

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'Makes a retry safe: the same key and body replay the first response (kept 48 hours)',
    }),
  ),
})

/** The idempotency parameters of a POST write, if the client sent a key. */
export function idempotencyFrom(request: FastifyRequest): IdempotencyRequest | undefined {
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string') return undefined
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.url}\n`)
    .update(canonicalJson(request.body ?? null))
    .digest('hex')
  return { clientKey: request.principal?.clientId ?? 'operator-token', key, requestHash }
}

export function sendWriteResponse<T>(reply: FastifyReply, response: WriteResponse<T> & { replayed: boolean }) {
  if (response.replayed) reply.header('idempotent-replayed', 'true')
  return reply.code(response.status).send(response.body)
}
