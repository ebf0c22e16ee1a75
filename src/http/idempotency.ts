import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { canonicalJson } from '../lib/canonical-json.js'
import type { Database, Transaction } from '../db/client.js'
import { runIdempotent, type IdempotencyRequest, type SecretResponse } from '../modules/idempotency/service.js'

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

/**
 * Runs a POST write in one transaction, honouring its Idempotency-Key, and sends the response
 * (the stored one, on a replay). `headers` derives response headers from the body, so a replay
 * carries them too.
 */
export async function sendIdempotentWrite<T>(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  work: (tx: Transaction) => Promise<T>,
  options: { idempotent?: boolean; headers?: (body: T) => Record<string, string>; secret?: SecretResponse<T> } = {},
) {
  const key = options.idempotent === false ? undefined : idempotencyFrom(request)
  const response = await runIdempotent(db, key, async (tx) => ({ status, body: await work(tx) }), options.secret)
  for (const [name, value] of Object.entries(options.headers?.(response.body) ?? {})) reply.header(name, value)
  if (response.replayed) reply.header('idempotent-replayed', 'true')
  return reply.code(response.status).send(response.body)
}
