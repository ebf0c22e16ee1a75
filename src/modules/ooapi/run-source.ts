import type { Database } from '../../db/client.js'
import type { Run } from '../catalogue/index.js'

export type { Run, RunInput, SyncRun } from '../catalogue/index.js'

/** Where the view reads runs from; it asks only about published offers. */
export interface RunSource {
  /** The offer's runs in start date order, `limit` of them after skipping `offset`. */
  listForOffer(offerId: string, page: { offset: number; limit: number }): Promise<Run[]>
  byId(id: string): Promise<Run | undefined>
}

/** Makes the RunSource of a database: how the app wires the catalogue's runs repository into the view. */
export type RunSourceFactory = (db: Database) => RunSource
