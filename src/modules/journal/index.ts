// The journal: every write's audit records and change-feed entries, written last in its
// transaction. The audit/ and changes/ modules read what it writes.
export { firstBreak, recordHash, type ChainBreak } from './chain.js'
export { CHANGE_ACTIONS, CHANGE_TYPES, validityOf, type AuditEntry, type ChangeAction, type ChangeEntry, type ChangeType } from './entries.js'
export type { AuditRow } from './repository.js'
export { chainOf, runWrite, writeIn, type JournalRecord, type Write } from './write.js'
