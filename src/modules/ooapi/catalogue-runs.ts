import { createRunsService } from '../catalogue/index.js'
import type { RunSourceFactory } from './run-source.js'

/** The catalogue's runs of published offers, as the OOAPI view reads them. */
export const catalogueRunSource: RunSourceFactory = (db) => {
  const runs = createRunsService(db)
  return {
    listForOffer: (offerId, page) => runs.publicRunsAt(offerId, page),
    byId: (id) => runs.publicRunById(id),
  }
}
