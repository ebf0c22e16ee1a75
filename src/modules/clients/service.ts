import type { Database } from '../../db/client.js'
import { Errors, withFieldErrors, type FieldError } from '../../errors.js'
import type { CursorPosition } from '../../lib/cursor.js'
import type { Scope } from '../../lib/scopes.js'
import type { Write } from '../journal/index.js'
import { registryLookups } from '../registry/index.js'
import { generateKey } from './keys.js'
import { clientRepository as clients, type ClientRow } from './repository.js'
import type { Client, ClientInput, CreatedClient } from './schemas.js'
import { checkScopesForHolder } from './scopes.js'

export function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    institution: row.institutionSchac,
    name: row.name,
    scopes: row.scopes as Scope[],
    keyPrefix: row.keyPrefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}

/** API client management, shared by the HTTP routes and the admin command line. */
export function createClientService(db: Database) {
  return {
    /** Creates a client and its key (shown in this answer only: only its hash is kept). */
    async create({ tx, record }: Write, input: ClientInput): Promise<CreatedClient> {
      const institution = input.institution ?? null
      const errors: FieldError[] = checkScopesForHolder(input.scopes, institution !== null).map((violation) => ({
        in: 'body',
        pointer: `/scopes/${violation.index}`,
        detail: violation.detail,
      }))
      // Kept registered until commit, so a concurrent deletion cannot leave the client orphaned.
      if (institution !== null && !(await registryLookups.existingInstitutions(tx, [institution], true)).has(institution)) {
        errors.unshift({ in: 'body', pointer: '/institution', detail: `no institution ${institution} is registered` })
      }
      if (errors.length > 0) {
        throw withFieldErrors(Errors.unprocessable('The client cannot be created as described'), errors)
      }
      const key = generateKey()
      const row = await clients.insert(tx, {
        institution,
        name: input.name,
        scopes: input.scopes,
        keyPrefix: key.prefix,
        keyHash: key.hash,
      })
      record({
        at: row.createdAt,
        audit: [{ action: 'client.created', objectType: 'client', objectId: row.id, details: { institution, scopes: input.scopes, keyPrefix: key.prefix } }],
      })
      return { ...toClient(row), key: key.key }
    },

    async list(filter: { institution?: string; includeRevoked: boolean; after?: CursorPosition; limit: number }): Promise<ClientRow[]> {
      return clients.list(db, {
        institution: filter.institution,
        includeRevoked: filter.includeRevoked,
        afterId: filter.after?.[0] as string | undefined,
        limit: filter.limit,
      })
    },

    /** Revokes at once: the key's next request is refused, on every replica. */
    async revoke({ tx, record }: Write, id: string): Promise<Client> {
      // Locked: a concurrent revoke waits here, then finds the client revoked and answers
      // with that revocation instead of revoking (and journalling) it again.
      const current = await clients.findById(tx, id, true)
      if (!current) throw Errors.notFound(`No client ${id}`)
      if (current.revokedAt !== null) return toClient(current)
      const row = (await clients.revoke(tx, id))!
      record({ at: row.revokedAt!, audit: [{ action: 'client.revoked', objectType: 'client', objectId: id, details: { keyPrefix: row.keyPrefix } }] })
      return toClient(row)
    },
  }
}

export type ClientService = ReturnType<typeof createClientService>
