import type { Executor } from '../../db/client.js'
import { clientRepository } from './repository.js'

/** What other modules may ask of the API clients. */
export const clientLookups = {
  /** How many clients an institution has (revoked ones included: they are kept for the record). */
  countOfInstitution: (db: Executor, schac: string): Promise<number> => clientRepository.countOfInstitution(db, schac),
}
