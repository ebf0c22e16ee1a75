import type { Database, Executor } from '../../db/client.js'
import { lockAuditChain } from '../../db/locks.js'
import { chainOf, type Actor } from '../../lib/actor.js'
import { createChangeRepository, type ChangeEntry } from '../changes/repository.js'
import { firstBreak, recordHash, type ChainBreak } from './chain.js'
import { createAuditRepository, type AuditListFilter, type AuditRow } from './repository.js'

const audit = createAuditRepository()
const changeFeed = createChangeRepository()

export interface AuditEntry {
  action: string
  objectType: string
  objectId: string
  objectVersion?: number | null
  /** Never a learner reference or a secret: the trail is readable by the institution. */
  details?: Record<string, unknown>
}

/**
 * Records a successful write in its own transaction: the audit records first (extending the
 * actor's chain), then the change-feed entries, which must be the transaction's last step.
 */
export async function journal(tx: Executor, actor: Actor, at: Date, entries: AuditEntry[], changes: ChangeEntry[]): Promise<void> {
  if (entries.length > 0) {
    const chain = chainOf(actor)
    await lockAuditChain(tx, chain)
    let prevHash = (await audit.lastOfChain(tx, chain))?.hash ?? null
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
        details: entry.details ?? {},
      }
      const hash = recordHash(prevHash, content)
      await audit.insert(tx, { ...content, prevHash, hash })
      prevHash = hash
    }
  }
  await changeFeed.append(tx, changes, at)
}

export interface ChainReport {
  chain: string
  records: number
  broken?: ChainBreak
}

const VERIFY_BATCH = 5000

export function createAuditService(db: Database) {
  return {
    list(filter: AuditListFilter): Promise<AuditRow[]> {
      return audit.list(db, filter)
    },

    /** Walks every chain from its start and reports each chain's first broken link. */
    async verify(): Promise<ChainReport[]> {
      const reports: ChainReport[] = []
      for (const chain of await audit.chains(db)) {
        let previous: AuditRow | undefined
        let records = 0
        let broken: ChainBreak | undefined
        for (;;) {
          const batch = await audit.chainBatch(db, chain, previous?.id ?? 0, VERIFY_BATCH)
          if (batch.length === 0) break
          broken = firstBreak(batch, previous)
          records += batch.length
          if (broken) break
          previous = batch[batch.length - 1]
        }
        reports.push({ chain, records, ...(broken ? { broken } : {}) })
      }
      return reports
    },
  }
}
