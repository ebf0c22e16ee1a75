import type { Executor } from '../../db/client.js'
import { registryRepository } from './repository.js'

/** What other modules may ask of the registry, inside their own transactions. */
export const registryLookups = {
  /** The institution's country, or undefined when it is not registered. */
  async institutionCountry(db: Executor, schac: string): Promise<string | undefined> {
    return (await registryRepository.findInstitution(db, schac))?.country
  },
  /** The alliances of each institution, by SCHAC code. */
  alliancesOf: (db: Executor, schacs: string[]): Promise<Map<string, string[]>> => registryRepository.alliancesOf(db, schacs),
  /**
   * The subset of the given SCHAC codes that are registered; with `keep`, they stay
   * registered until the caller's transaction ends.
   */
  existingInstitutions: (db: Executor, schacs: string[], keep = false): Promise<Set<string>> =>
    registryRepository.existingInstitutions(db, schacs, keep),
}
