import type { Executor } from '../../db/client.js'
import { recognitionRepository } from './repository.js'

/** What other modules may ask of recognition. */
export const recognitionLookups = {
  /**
   * The validity periods of these decisions, by id, for the change feed's entries (which those
   * entries' readers may see). Starting or ending a decision writes nothing, so the feed carries
   * its dates for consumers to apply.
   */
  async validity(db: Executor, ids: string[]): Promise<Map<string, { validFrom: string; validUntil: string | null }>> {
    const rows = await recognitionRepository.validityOf(db, ids)
    return new Map(rows.map((row) => [row.id, { validFrom: row.validFrom, validUntil: row.validUntil }]))
  },
}
