import type { Write } from '../journal/index.js'
import type { MembershipFollowers } from '../registry/index.js'
import { registryLookups } from '../registry/index.js'
import { offerChanges } from './events.js'
import { catalogueRepository as offersRepository } from './repository.js'

/**
 * An offer is offered in the alliances its institution belongs to now. When they change, each
 * of the institution's offers shows the new ones at once, with a change-feed entry, and no new
 * version (its content has not changed, and no decision on it is "changed since").
 */
export const catalogueFollowers: MembershipFollowers = {
  async membershipsChanged({ tx, record }: Write, schacs: string[]): Promise<void> {
    if (schacs.length === 0) return
    const memberships = await registryLookups.alliancesOf(tx, schacs)
    const now = new Date()
    for (const schac of [...new Set(schacs)].sort()) {
      const changed = await offersRepository.setAlliances(tx, schac, memberships.get(schac) ?? [], now)
      if (changed.length > 0) record({ at: now, changes: changed.flatMap((row) => offerChanges(row, ['alliances_changed'])) })
    }
  },
}
