import type { Database, Transaction } from '../../db/client.js'
import type { Actor } from '../../lib/caller.js'
import { recordHash } from './chain.js'
import type { AuditEntry, ChangeEntry } from './entries.js'
import { journalRepository } from './repository.js'

/** What one step of a write did, stamped with the time it took effect. */
export interface JournalRecord {
  at: Date
  audit?: AuditEntry[]
  changes?: ChangeEntry[]
}

/**
 * A write under way: its transaction, who makes it, and what it has done so far. Every write
 * of the service is a service method that takes one (`(write, input, preconditions)`); the
 * method records what it did, and the journal is written after it returns, as the last
 * statements of the transaction.
 */
export interface Write {
  readonly tx: Transaction
  readonly actor: Actor
  record(entry: JournalRecord): void
}

/** The audit chain an actor's records go to: its institution, or the operators', or the system's. */
export function chainOf(actor: Actor): string {
  return actor.institution ?? (actor.operator ? 'operators' : 'system')
}

async function appendAudit(tx: Transaction, actor: Actor, at: Date, entries: AuditEntry[]): Promise<void> {
  const chain = chainOf(actor)
  await journalRepository.lockChain(tx, chain)
  let prevHash = (await journalRepository.lastOfChain(tx, chain))?.hash ?? null
  for (const entry of entries) {
    const content = {
      chain,
      at,
      clientId: actor.clientId,
      institution: actor.institution,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      objectVersion: entry.objectVersion ?? null,
      requestId: actor.requestId,
      callerRequestId: actor.callerRequestId,
      details: entry.details ?? {},
    }
    const hash = recordHash(prevHash, content)
    await journalRepository.insertAudit(tx, { ...content, prevHash, hash })
    prevHash = hash
  }
}

/**
 * Runs a write's work in a transaction that is already open, then journals it: the audit
 * records first (extending the actor's chain), then the change-feed entries, which must be
 * the transaction's last step.
 */
export async function writeIn<T>(tx: Transaction, actor: Actor, work: (write: Write) => Promise<T>): Promise<T> {
  const records: JournalRecord[] = []
  const result = await work({
    tx,
    actor,
    record: (entry) => {
      records.push(entry)
    },
  })
  for (const { at, audit } of records) if (audit && audit.length > 0) await appendAudit(tx, actor, at, audit)
  for (const { at, changes } of records) if (changes) await journalRepository.appendChanges(tx, changes, at)
  return result
}

/** Runs a write in its own transaction (for callers outside HTTP: the CLI, the demo seed). */
export function runWrite<T>(db: Database, actor: Actor, work: (write: Write) => Promise<T>): Promise<T> {
  return db.transaction((tx) => writeIn(tx, actor, work))
}
