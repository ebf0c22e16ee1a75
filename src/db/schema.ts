import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/** A language map: BCP 47 tag → text, at least one entry. */
export type LanguageMap = Record<string, string>

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}

export const alliances = pgTable('alliances', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  website: text('website'),
  /** Incremented on every change; the strong ETag of the resource. */
  version: integer('version').notNull().default(1),
  ...timestamps,
})

export const institutions = pgTable(
  'institutions',
  {
    schac: text('schac').primaryKey(),
    name: jsonb('name').$type<LanguageMap>().notNull(),
    country: text('country').notNull(),
    website: text('website'),
    erasmusCode: text('erasmus_code').unique(),
    deqarId: text('deqar_id').unique(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [
    index('institutions_country_idx').on(table.country, table.schac),
    check('institutions_country_iso', sql`${table.country} ~ '^[A-Z]{2}$'`),
  ],
)

export const allianceMembers = pgTable(
  'alliance_members',
  {
    allianceSlug: text('alliance_slug')
      .notNull()
      .references(() => alliances.slug, { onDelete: 'cascade' }),
    institutionSchac: text('institution_schac')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.allianceSlug, table.institutionSchac] }),
    index('alliance_members_institution_idx').on(table.institutionSchac, table.allianceSlug),
  ],
)

export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for an operator client; otherwise the one institution the client acts for. */
    institutionSchac: text('institution_schac').references(() => institutions.schac, {
      onDelete: 'restrict',
    }),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    /** Non-secret, shown in listings so a key can be recognised without revealing it. */
    keyPrefix: text('key_prefix').notNull().unique(),
    /** SHA-256 of the whole key, hex; the key itself is never stored. */
    keyHash: text('key_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [index('api_clients_institution_idx').on(table.institutionSchac, table.id)],
)
