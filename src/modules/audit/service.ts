import type { Database } from '../../db/client.js'
import { firstBreak, type AuditRow, type ChainBreak } from '../journal/index.js'
import { auditRepository, type AuditListFilter } from './repository.js'

export interface ChainReport {
  chain: string
  records: number
  broken?: ChainBreak
}

const VERIFY_BATCH = 5000

/** Reading the audit trail the journal writes, and checking its chains. */
export function createAuditService(db: Database) {
  return {
    list(filter: AuditListFilter): Promise<AuditRow[]> {
      return auditRepository.list(db, filter)
    },

    /** Walks every chain from its start and reports each chain's first broken link. */
    async verify(): Promise<ChainReport[]> {
      const reports: ChainReport[] = []
      for (const chain of await auditRepository.chains(db)) {
        let previous: AuditRow | undefined
        let records = 0
        let broken: ChainBreak | undefined
        for (;;) {
          const batch = await auditRepository.chainBatch(db, chain, previous?.id ?? 0, VERIFY_BATCH)
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
