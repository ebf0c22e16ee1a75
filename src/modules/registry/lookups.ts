import type { Executor } from '../../db/client.js'
import { registryRepository } from './repository.js'

/** What other modules may ask of the registry, inside their own transactions. */
export const registryLookups = {
  /** The institution's country, or undefined when it is not registered. */
  async institutionCountry(db: Executor, schac: string): Promise<string | undefined> {
    return (await registryRepository.findInstitution(db, schac))?.country
  },
  /**
   * What a writer of the institution's offers needs of it: its country and its alliances now,
   * with the institution held until the transaction ends, so its alliances cannot change
   * meanwhile. Undefined when it is not registered.
   */
  async writerContext(db: Executor, schac: string): Promise<{ country: string; alliances: string[] } | undefined> {
    const country = await registryRepository.holdInstitution(db, schac)
    if (country === undefined) return undefined
    return { country, alliances: (await registryRepository.alliancesOf(db, [schac])).get(schac) ?? [] }
  },
  /** The country of each of the given SCHAC codes that is registered. */
  countriesOf: (db: Executor, schacs: string[]): Promise<Map<string, string>> => registryRepository.countriesOf(db, schacs),
  /** The alliances of each institution, by SCHAC code. */
  alliancesOf: (db: Executor, schacs: string[]): Promise<Map<string, string[]>> => registryRepository.alliancesOf(db, schacs),
  /**
   * The subset of the given SCHAC codes that are registered; with `keep`, they stay
   * registered until the caller's transaction ends.
   */
  existingInstitutions: (db: Executor, schacs: string[], keep = false): Promise<Set<string>> =>
    registryRepository.existingInstitutions(db, schacs, keep),
}
