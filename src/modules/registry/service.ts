import { isDeepStrictEqual } from 'node:util'
import type { Database, Executor } from '../../db/client.js'
import { isUniqueViolation, pgErrorOf } from '../../db/errors.js'
import { Errors, withExtensions, withFieldErrors } from '../../errors.js'
import { createOrReplace } from '../../lib/create-or-replace.js'
import type { CursorPosition } from '../../lib/cursor.js'
import { mergePatch } from '../../lib/merge-patch.js'
import { assertPreconditions, etagOf, requireIfMatch, type Preconditions } from '../../lib/preconditions.js'
import type { ChangeEntry, Write } from '../journal/index.js'
import {
  registryRepository as repository,
  type AllianceRow,
  type AllianceValues,
  type InstitutionRow,
  type InstitutionValues,
} from './repository.js'
import type { Alliance, AllianceInput, AlliancePatch, Institution, InstitutionInput, InstitutionPatch } from './schemas.js'

/**
 * What other modules keep of an institution (its API clients, its offers): counted before it
 * is deleted. Given by whoever assembles the service (app.ts), so the registry does not reach
 * into other modules' tables.
 */
export interface InstitutionReferences {
  clients(db: Executor, schac: string): Promise<number>
  offers(db: Executor, schac: string): Promise<number>
}

const NO_REFERENCES: InstitutionReferences = { clients: async () => 0, offers: async () => 0 }

/**
 * What other modules derive from institutions' alliance memberships (an offer is offered in
 * its institution's alliances), brought up to date in the write that changes them. Given by
 * whoever assembles the service, like the references above.
 */
export interface MembershipFollowers {
  /** The alliances of these institutions have changed (they are as the transaction now says). */
  membershipsChanged(write: Write, schacs: string[]): Promise<void>
}

const NO_FOLLOWERS: MembershipFollowers = { membershipsChanged: async () => {} }

function institutionChange(schac: string, version: number, action: 'created' | 'updated'): ChangeEntry {
  return { type: 'institution', id: schac, action, version, institution: schac }
}

export interface Written<T> {
  resource: T
  etag: string
  created: boolean
}

function toInstitution(row: InstitutionRow, alliances: string[]): Institution {
  return {
    schac: row.schac,
    name: row.name,
    country: row.country,
    website: row.website,
    erasmusCode: row.erasmusCode,
    deqarId: row.deqarId,
    alliances,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

function toAlliance(row: AllianceRow, members: string[]): Alliance {
  return {
    slug: row.slug,
    name: row.name,
    website: row.website,
    members,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

function institutionValues(input: InstitutionInput): InstitutionValues {
  return {
    name: input.name,
    country: input.country,
    website: input.website ?? null,
    erasmusCode: input.erasmusCode ?? null,
    deqarId: input.deqarId ?? null,
  }
}

/** The input that would write a stored institution as it is (absent optional fields left out). */
function institutionInputOf(row: InstitutionRow): InstitutionInput {
  const { name, country, website, erasmusCode, deqarId } = row
  return { name, country, ...(website === null ? {} : { website }), ...(erasmusCode === null ? {} : { erasmusCode }), ...(deqarId === null ? {} : { deqarId }) }
}

/** Maps a unique-index violation on an institution's optional codes to the field at fault. */
function uniqueCodeViolation(error: unknown): Error | undefined {
  if (!isUniqueViolation(error)) return undefined
  const constraint = pgErrorOf(error)?.constraint
  const field = constraint?.includes('erasmus') ? 'erasmusCode' : constraint?.includes('deqar') ? 'deqarId' : undefined
  if (field === undefined) return undefined
  return withFieldErrors(Errors.conflict(`Another institution already has this ${field}`), [
    { in: 'body', pointer: `/${field}`, detail: 'is already used by another institution' },
  ])
}

/** The registry's use cases, shared by the HTTP routes and the admin command line. */
export function createRegistryService(
  db: Database,
  references: InstitutionReferences = NO_REFERENCES,
  followers: MembershipFollowers = NO_FOLLOWERS,
) {
  async function institutionView(executor: Executor, row: InstitutionRow): Promise<Institution> {
    const alliances = await repository.alliancesOf(executor, [row.schac])
    return toInstitution(row, alliances.get(row.schac) ?? [])
  }

  async function allianceView(executor: Executor, row: AllianceRow): Promise<Alliance> {
    const members = await repository.membersOf(executor, [row.slug])
    return toAlliance(row, members.get(row.slug) ?? [])
  }

  return {
    async getInstitution(schac: string): Promise<Written<Institution> | undefined> {
      const row = await repository.findInstitution(db, schac)
      return row && { resource: await institutionView(db, row), etag: etagOf(row.version), created: false }
    },

    /** `limit + 1` institutions in SCHAC order, after a cursor position or (OOAPI's page numbers) skipping `offset`. */
    async listInstitutions(filter: { alliance?: string; country?: string; after?: CursorPosition; offset?: number; limit: number }): Promise<Institution[]> {
      const rows = await repository.listInstitutions(db, {
        alliance: filter.alliance,
        country: filter.country,
        afterSchac: filter.after?.[0] as string | undefined,
        offset: filter.offset,
        limit: filter.limit,
      })
      const alliances = await repository.alliancesOf(db, rows.map((row) => row.schac))
      return rows.map((row) => toInstitution(row, alliances.get(row.schac) ?? []))
    },

    async putInstitution(
      { tx, record }: Write,
      schac: string,
      input: InstitutionInput,
      preconditions: Preconditions,
    ): Promise<Written<Institution>> {
      const values = institutionValues(input)
      let result
      try {
        result = await createOrReplace(
          {
            findForUpdate: () => repository.findInstitution(tx, schac, true),
            insert: () => repository.insertInstitution(tx, schac, values),
            etag: (row) => etagOf(row.version),
            isUnchanged: (current) => isDeepStrictEqual(institutionValues(current), values),
            update: () => repository.updateInstitution(tx, schac, values),
          },
          preconditions,
        )
      } catch (error) {
        throw uniqueCodeViolation(error) ?? error
      }
      const resource = await institutionView(tx, result.row)
      if (result.changed) {
        const action = result.created ? 'created' : 'updated'
        record({
          at: result.row.updatedAt,
          audit: [{ action: `institution.${action}`, objectType: 'institution', objectId: schac, objectVersion: result.row.version }],
          changes: [institutionChange(schac, result.row.version, action)],
        })
      }
      return { resource, etag: etagOf(result.row.version), created: result.created }
    },

    /** JSON Merge Patch of an institution, conditional on If-Match (428 without it). */
    async patchInstitution(write: Write, schac: string, patch: InstitutionPatch, preconditions: Preconditions): Promise<Written<Institution>> {
      requireIfMatch(preconditions)
      const current = await repository.findInstitution(write.tx, schac, true)
      if (!current) throw Errors.notFound(`No institution ${schac}`)
      assertPreconditions(preconditions, etagOf(current.version))
      const merged = mergePatch(institutionInputOf(current), patch) as InstitutionInput
      if (Object.keys(merged.name).length === 0) {
        throw withFieldErrors(Errors.unprocessable('The patch would leave the institution without a name'), [
          { in: 'body', pointer: '/name', detail: 'must keep at least one language' },
        ])
      }
      return this.putInstitution(write, schac, merged, preconditions)
    },

    async deleteInstitution({ tx, record }: Write, schac: string, preconditions: Preconditions): Promise<void> {
      const current = await repository.findInstitution(tx, schac, true)
      if (!current) throw Errors.notFound(`No institution ${schac}`)
      assertPreconditions(preconditions, etagOf(current.version))
      // The row lock above keeps new clients, offers and memberships from referring to it meanwhile.
      const clients = await references.clients(tx, schac)
      const offers = await references.offers(tx, schac)
      const alliances = await repository.membershipsOf(tx, schac)
      if (clients > 0 || offers > 0 || alliances.length > 0) {
        const reasons: string[] = []
        if (clients > 0 || offers > 0) {
          reasons.push(`has ${clients} API client(s) (revoked ones included) and ${offers} offer(s), kept for the record`)
        }
        // Deleting a member would change its alliances behind their backs (no new version,
        // no audit record): it leaves them through the alliances first.
        if (alliances.length > 0) reasons.push(`is a member of alliance(s) ${alliances.join(', ')}; remove it from them first`)
        throw withExtensions(
          Errors.resourceInUse(`Institution ${schac} ${reasons.join(', and ')}; it cannot be deleted`),
          { clients, offers, alliances },
        )
      }
      await repository.deleteInstitution(tx, schac)
      record({
        at: new Date(),
        audit: [{ action: 'institution.deleted', objectType: 'institution', objectId: schac, objectVersion: current.version }],
      })
    },

    async getAlliance(slug: string): Promise<Written<Alliance> | undefined> {
      const row = await repository.findAlliance(db, slug)
      return row && { resource: await allianceView(db, row), etag: etagOf(row.version), created: false }
    },

    async listAlliances(filter: { member?: string; after?: CursorPosition; limit: number }): Promise<Alliance[]> {
      const rows = await repository.listAlliances(db, {
        member: filter.member,
        afterSlug: filter.after?.[0] as string | undefined,
        limit: filter.limit,
      })
      const members = await repository.membersOf(db, rows.map((row) => row.slug))
      return rows.map((row) => toAlliance(row, members.get(row.slug) ?? []))
    },

    async putAlliance(write: Write, slug: string, input: AllianceInput, preconditions: Preconditions): Promise<Written<Alliance>> {
      const { tx, record } = write
      const values: AllianceValues = { name: input.name, website: input.website ?? null }
      const wanted = [...new Set(input.members)].sort()
      // Kept registered until commit: a concurrent deletion either ends first (the member is
      // unknown here) or waits and then finds the membership (409).
      const known = await repository.existingInstitutions(tx, wanted, true)
      const unknown = input.members.flatMap((schac, index) => (known.has(schac) ? [] : [{ schac, index }]))
      if (unknown.length > 0) {
        throw withFieldErrors(
          Errors.unknownReference(`${unknown.length} member(s) are not registered institutions`),
          unknown.map(({ schac, index }) => ({
            in: 'body' as const,
            pointer: `/members/${index}`,
            detail: `no institution ${schac} is registered`,
          })),
        )
      }
      const result = await createOrReplace(
        {
          findForUpdate: () => repository.findAlliance(tx, slug, true),
          insert: () => repository.insertAlliance(tx, slug, values),
          etag: (row) => etagOf(row.version),
          isUnchanged: (current) => current.name === values.name && current.website === values.website,
          update: () => repository.updateAlliance(tx, slug, values),
        },
        preconditions,
      )
      // The alliance row is now locked (or new in this transaction), so its membership is stable.
      let row = result.row
      const before = (await repository.membersOf(tx, [slug])).get(slug) ?? []
      const added = wanted.filter((schac) => !before.includes(schac))
      const removed = before.filter((schac) => !wanted.includes(schac))
      let touched: Array<{ schac: string; version: number }> = []
      if (added.length > 0 || removed.length > 0) {
        await repository.replaceMembers(tx, slug, removed, added)
        if (!result.changed) row = await repository.updateAlliance(tx, slug, values)
        touched = await repository.touchInstitutions(tx, [...added, ...removed])
      }
      if (result.changed || touched.length > 0) {
        record({
          at: row.updatedAt,
          audit: [
            {
              action: result.created ? 'alliance.created' : 'alliance.updated',
              objectType: 'alliance',
              objectId: slug,
              objectVersion: row.version,
              details: { added, removed },
            },
          ],
          changes: touched.map((t) => institutionChange(t.schac, t.version, 'updated')),
        })
      }
      if (touched.length > 0) await followers.membershipsChanged(write, [...added, ...removed])
      return { resource: toAlliance(row, wanted), etag: etagOf(row.version), created: result.created }
    },

    /** JSON Merge Patch of an alliance, conditional on If-Match (428 without it). */
    async patchAlliance(write: Write, slug: string, patch: AlliancePatch, preconditions: Preconditions): Promise<Written<Alliance>> {
      requireIfMatch(preconditions)
      const current = await this.lockedAlliance(write, slug, preconditions)
      return this.putAlliance(write, slug, mergePatch(current, patch) as AllianceInput, preconditions)
    },

    /** Adds one member (nothing changes when it is one already); If-Match is optional here. */
    async addMember(write: Write, slug: string, schac: string, preconditions: Preconditions): Promise<Written<Alliance>> {
      const current = await this.lockedAlliance(write, slug, preconditions)
      if (!(await repository.existingInstitutions(write.tx, [schac], true)).has(schac)) {
        throw withFieldErrors(Errors.unknownReference(`No institution ${schac} is registered`), [
          { in: 'path', pointer: '/schac', detail: `no institution ${schac} is registered` },
        ])
      }
      return this.putAlliance(write, slug, { ...current, members: [...current.members, schac] }, preconditions)
    },

    /** Removes one member (404 when it is not one). */
    async removeMember(write: Write, slug: string, schac: string, preconditions: Preconditions): Promise<Written<Alliance>> {
      const current = await this.lockedAlliance(write, slug, preconditions)
      if (!current.members.includes(schac)) throw Errors.notFound(`${schac} is not a member of alliance ${slug}`)
      return this.putAlliance(write, slug, { ...current, members: current.members.filter((member) => member !== schac) }, preconditions)
    },

    /** The alliance as an input that would write it as it is, locked, its preconditions checked (404 when absent). */
    async lockedAlliance({ tx }: Write, slug: string, preconditions: Preconditions): Promise<AllianceInput> {
      const current = await repository.findAlliance(tx, slug, true)
      if (!current) throw Errors.notFound(`No alliance ${slug}`)
      assertPreconditions(preconditions, etagOf(current.version))
      const members = (await repository.membersOf(tx, [slug])).get(slug) ?? []
      return { name: current.name, ...(current.website === null ? {} : { website: current.website }), members }
    },

    async deleteAlliance(write: Write, slug: string, preconditions: Preconditions): Promise<void> {
      const { tx, record } = write
      const current = await repository.findAlliance(tx, slug, true)
      if (!current) throw Errors.notFound(`No alliance ${slug}`)
      assertPreconditions(preconditions, etagOf(current.version))
      const members = (await repository.membersOf(tx, [slug])).get(slug) ?? []
      await repository.deleteAlliance(tx, slug)
      const touched = await repository.touchInstitutions(tx, members)
      record({
        at: new Date(),
        audit: [{ action: 'alliance.deleted', objectType: 'alliance', objectId: slug, objectVersion: current.version, details: { members } }],
        changes: touched.map((t) => institutionChange(t.schac, t.version, 'updated')),
      })
      await followers.membershipsChanged(write, members)
    },
  }
}

export type RegistryService = ReturnType<typeof createRegistryService>
