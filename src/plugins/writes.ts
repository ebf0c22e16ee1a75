import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { actorOf } from '../lib/caller.js'
import { canonicalJson } from '../lib/canonical-json.js'
import { callerRequestIdOf } from '../lib/request-ids.js'
import { runIdempotent, type IdempotencyRequest, type SecretResponse } from '../modules/idempotency/index.js'
import { writeIn, type Write } from '../modules/journal/index.js'

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

/** What a route answers for a write: the status, the body and, for a single resource, its ETag. */
export interface WriteReply<B> {
  status: number
  body: B
  etag?: string
}

export interface WriteOptions<B> {
  /**
   * Whether an Idempotency-Key is honoured: by default on POST, the one method that is not
   * idempotent by itself (PUT and DELETE are). False for a write that writes nothing (a dry run).
   */
  idempotent?: boolean
  /** Response headers derived from the body, so that a replay carries them too. */
  headers?: (body: B) => Record<string, string>
  /** How a response holding a secret is stored and replayed (see the idempotency module). */
  secret?: SecretResponse<B>
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * The one way a route writes: runs `work` in one transaction, journals it last, honours the
     * Idempotency-Key, and sends the reply (the stored one, on a replay).
     */
    sendWrite<B>(work: (write: Write) => Promise<WriteReply<B>>, options?: WriteOptions<B>): Promise<FastifyReply>
  }
}

/** The idempotency parameters of a write, if the client sent a key. */
function idempotencyOf(request: FastifyRequest): IdempotencyRequest | undefined {
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string') return undefined
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.url}\n`)
    .update(canonicalJson(request.body ?? null))
    .digest('hex')
  return { clientKey: request.caller.clientId ?? 'operator-token', key, requestHash }
}

/** The write helper: transaction, idempotency and journal, the same for every write route. */
async function writes(app: FastifyInstance) {
  app.decorateReply('sendWrite', async function sendWrite<B>(
    this: FastifyReply,
    work: (write: Write) => Promise<WriteReply<B>>,
    options: WriteOptions<B> = {},
  ) {
    const { request } = this
    const idempotent = options.idempotent ?? request.method === 'POST'
    const key = idempotent ? idempotencyOf(request) : undefined
    const actor = actorOf(request.caller, String(request.id), callerRequestIdOf(request.headers))
    let etag: string | undefined
    const response = await runIdempotent(
      app.db,
      key,
      (tx) =>
        writeIn(tx, actor, async (write) => {
          const reply = await work(write)
          etag = reply.etag
          return { status: reply.status, body: reply.body }
        }),
      options.secret,
    )
    if (etag !== undefined && !response.replayed) this.header('etag', etag)
    for (const [name, value] of Object.entries(options.headers?.(response.body) ?? {})) this.header(name, value)
    if (response.replayed) this.header('idempotent-replayed', 'true')
    return this.code(response.status).send(response.body)
  })
}

export default fp(writes, { name: 'writes', dependencies: ['database', 'auth'] })
