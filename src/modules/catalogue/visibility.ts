import type { Caller } from '../../lib/caller.js'

/** What deciding an offer's visibility needs to know of it. */
export interface OfferVisibility {
  institutionSchac: string
  status: 'draft' | 'published' | 'withdrawn'
  publishedAt: Date | null
}

export function isOwner(row: OfferVisibility, viewer: Pick<Caller, 'institution'>): boolean {
  return viewer.institution === row.institutionSchac
}

/** Drafts are private; a withdrawn offer stays readable once it has been published. */
export function isVisible(row: OfferVisibility, viewer: Pick<Caller, 'institution'>): boolean {
  return isOwner(row, viewer) || row.status === 'published' || (row.status === 'withdrawn' && row.publishedAt !== null)
}
