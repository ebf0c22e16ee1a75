import type { AuditEntry, ChangeEntry } from '../journal/index.js'
import type { OfferEvent } from './lifecycle.js'
import type { OfferRow } from './repository.js'

/** What can happen to an offer: its lifecycle, and changes of what it shows from outside its content. */
export type OfferChange = OfferEvent | 'alliances_changed' | 'awarding_changed'

/**
 * Feed entries for what happened to an offer. A change is public when the offer is public
 * after it; changes to drafts are seen only by the institution.
 */
export function offerChanges(
  row: Pick<OfferRow, 'id' | 'institutionSchac' | 'status' | 'version' | 'publishedAt'>,
  events: OfferChange[],
): ChangeEntry[] {
  const isPublic = row.status === 'published' || (row.status === 'withdrawn' && row.publishedAt !== null)
  return events.map((action) => ({
    type: 'offer',
    id: row.id,
    action,
    version: row.version,
    institution: row.institutionSchac,
    ...(isPublic ? {} : { visibleTo: [row.institutionSchac] }),
  }))
}

export function offerAudit(row: OfferRow, action: string, events: OfferEvent[]): AuditEntry {
  return { action, objectType: 'offer', objectId: row.id, objectVersion: row.version, details: { externalId: row.externalId, events } }
}
