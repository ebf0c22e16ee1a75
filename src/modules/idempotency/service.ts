import type { Database, Transaction } from '../../db/client.js'
import { databaseOutageOf } from '../../db/errors.js'
import { tryLockIdempotencyKey } from '../../db/locks.js'
import { Errors, withHeaders } from '../../errors.js'
import { idempotencyRepository as repository } from './repository.js'

/** A stored response is replayed for at least this long. */
export const IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000

export interface IdempotencyRequest {
  /** Who sent it: keys are scoped to the client. */
  clientKey: string
  key: string
  /** Hash of method, path and body: the same key with another request is refused. */
  requestHash: string
}

export interface WriteResponse<T> {
  status: number
  body: T
}

/**
 * How a response that carries a secret (an API key) is kept: `store` gives what may be written
 * to the database instead of the body, and `replay` answers a retry from that (typically by
 * refusing: a secret is shown once and never stored).
 */
export interface SecretResponse<T> {
  store: (body: T) => unknown
  replay: (stored: unknown) => never
}

/**
 * Runs a transaction and tells apart, when the connection is lost, a write that was not
 * applied (lost before COMMIT was sent: the server rolls it back) from one whose COMMIT was sent
 * and never answered: that one may have been applied, and the client must be told so.
 */
async function transactionWithOutcome<R>(db: Database, work: (tx: Transaction) => Promise<R>): Promise<R> {
  let committing = false
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx)
      committing = true
      return result
    })
  } catch (error) {
    if (!committing || databaseOutageOf(error)?.kind !== 'unavailable') throw error
    throw withHeaders(
      Errors.writeOutcomeUnknown(
        'The connection to the database was lost while this write was committing: it may or may not have been applied. ' +
          'Retry with the same Idempotency-Key (it is applied at most once); a PUT or DELETE can be retried as it is.',
      ),
      { 'retry-after': '5' },
    )
  }
}

/**
 * Runs a write in one transaction. With an Idempotency-Key, the response is stored in that
 * same transaction, so a retry replays it (the write happened) or runs it (it did not):
 * never both, never neither. A retry while the first is still running gets 409.
 */
export async function runIdempotent<T>(
  db: Database,
  request: IdempotencyRequest | undefined,
  work: (tx: Transaction) => Promise<WriteResponse<T>>,
  secret?: SecretResponse<T>,
): Promise<WriteResponse<T> & { replayed: boolean }> {
  if (request === undefined) return { ...(await transactionWithOutcome(db, work)), replayed: false }
  const { clientKey, key, requestHash } = request
  return transactionWithOutcome(db, async (tx) => {
    if (!(await tryLockIdempotencyKey(tx, clientKey, key))) {
      throw Errors.idempotencyInProgress('A request with this Idempotency-Key is still being processed; retry later')
    }
    const stored = await repository.find(tx, clientKey, key)
    if (stored && Date.now() - stored.createdAt.getTime() < IDEMPOTENCY_TTL_MS) {
      if (stored.requestHash !== requestHash) {
        throw Errors.idempotencyKeyReused('This Idempotency-Key was used for a different request')
      }
      if (secret) secret.replay(stored.responseBody)
      return { status: stored.responseStatus, body: stored.responseBody as T, replayed: true }
    }
    if (stored) await repository.remove(tx, clientKey, key)
    const response = await work(tx)
    const responseBody = secret ? secret.store(response.body) : response.body
    await repository.insert(tx, { clientKey, key, requestHash, responseStatus: response.status, responseBody })
    return { ...response, replayed: false }
  })
}
