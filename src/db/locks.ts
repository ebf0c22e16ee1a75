import { sql } from 'drizzle-orm'
import { rowsOf, type Executor } from './client.js'

/**
 * Transaction-scoped advisory locks, released at commit or rollback. Each kind has its own
 * namespace (the first key); the second key is a hash of what is locked.
 */
const NAMESPACE = {
  changeFeed: 1,
  catalogue: 2,
  idempotency: 3,
  sync: 4,
  auditChain: 5,
  recognitionKey: 6,
} as const

/** Serialises the final step of every writer, so change sequences commit in order. */
export async function lockChangeFeed(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${NAMESPACE.changeFeed}, 0)`)
}

/** Single-offer writes share an institution's catalogue; a sync holds it alone. */
export async function lockCatalogueShared(tx: Executor, schac: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${NAMESPACE.catalogue}, hashtext(${schac}))`)
}

/**
 * A sync holds its institution's catalogue alone: false at once when another sync of it is
 * running; otherwise waits for single-offer writes under way to finish, then holds it.
 */
export async function tryLockCatalogueForSync(tx: Executor, schac: string): Promise<boolean> {
  if (!(await tryLock(tx, NAMESPACE.sync, schac))) return false
  await tx.execute(sql`select pg_advisory_xact_lock(${NAMESPACE.catalogue}, hashtext(${schac}))`)
  return true
}

/** True when no other transaction is handling the same idempotency key. */
export async function tryLockIdempotencyKey(tx: Executor, clientKey: string, key: string): Promise<boolean> {
  // Keys are printable ASCII without spaces, so a space separates the two unambiguously.
  return tryLock(tx, NAMESPACE.idempotency, `${clientKey} ${key}`)
}

async function tryLock(tx: Executor, namespace: number, value: string): Promise<boolean> {
  const result = await tx.execute(
    sql`select pg_try_advisory_xact_lock(${namespace}, hashtext(${value})) as locked`,
  )
  return rowsOf<{ locked: boolean }>(result)[0]?.locked === true
}

/** One writer at a time extends an audit chain, so each record follows the one before it. */
export async function lockAuditChain(tx: Executor, chain: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${NAMESPACE.auditChain}, hashtext(${chain}))`)
}

/**
 * One writer at a time records decisions for a (recognising institution, offer, scope, learner,
 * purpose) key, so two overlapping validity periods cannot both pass the check.
 */
export async function lockDecisionKey(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${NAMESPACE.recognitionKey}, hashtext(${key}))`)
}
