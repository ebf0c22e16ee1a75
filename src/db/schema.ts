import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
// Types only: the shapes of the jsonb columns, as the modules define them.
import type { Compliance, OfferContent, RunInput } from '../modules/catalogue/index.js'
import type { DecisionDetails } from '../modules/recognition/index.js'

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
    /** Restrict: an institution leaves its alliances through them (new versions, audit) before it can go. */
    institutionSchac: text('institution_schac')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'restrict' }),
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

/** A full-text document; written through SQL (to_tsvector), never read back by the service. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * The current state of each offer. `content` is what the provider states (Annex I elements and
 * the rest); the columns after it are derived from it for filtering, sorting and search.
 */
/**
 * GIN indexes take new entries into a pending list that every search scans until (auto)vacuum
 * merges it. A sync of thousands of offers would leave megabytes there (the default limit is
 * 4 MB) and slow every search after it tenfold; a smaller list is merged sooner, in the
 * writing transaction, keeping searches at their indexed cost.
 */
const GIN_PENDING = { gin_pending_list_limit: 256 }

export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    institutionSchac: text('institution_schac')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'restrict' }),
    externalId: text('external_id').notNull(),
    status: text('status').$type<'draft' | 'published' | 'withdrawn'>().notNull(),
    /** Content version: increases when what the offer states changes. */
    version: integer('version').notNull(),
    /** Increases on every change, status included; the strong ETag. */
    revision: integer('revision').notNull().default(1),
    content: jsonb('content').$type<OfferContent>().notNull(),
    contentHash: text('content_hash').notNull(),
    compliance: jsonb('compliance').$type<Compliance>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** First publication. */
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),

    ects: numeric('ects', { precision: 5, scale: 2, mode: 'number' }),
    eqfLevel: smallint('eqf_level'),
    languages: text('languages').array().notNull(),
    /** Each ISCED-F code with its broader fields, so a prefix filter is an array containment. */
    iscedPaths: text('isced_paths').array().notNull(),
    participation: text('participation').array().notNull(),
    qaType: text('qa_type'),
    stackable: boolean('stackable').notNull(),
    startDate: date('start_date', { mode: 'string' }),
    /**
     * The issuer countries listed and filtered on: those stated that the provider, a
     * confirmed co-awarding institution or a body declared by name stands for (see
     * catalogue/content.ts); kept up to date when a named institution answers.
     */
    issuerCountries: text('issuer_countries').array().notNull(),
    /** The alliances the offering institution belongs to now (not content: kept up to date when they change). */
    alliances: text('alliances').array().notNull(),
    /** Accent- and case-folded title, for sorting. */
    sortTitle: text('sort_title').notNull(),
    search: tsvector('search').notNull(),
  },
  (table) => [
    uniqueIndex('offers_institution_external_id_key').on(table.institutionSchac, table.externalId),
    check('offers_status_valid', sql`${table.status} in ('draft', 'published', 'withdrawn')`),
    index('offers_search_idx').using('gin', table.search).with(GIN_PENDING).where(sql`${table.status} = 'published'`),
    index('offers_published_created_idx').on(table.createdAt, table.id).where(sql`${table.status} = 'published'`),
    index('offers_published_updated_idx').on(table.updatedAt, table.id).where(sql`${table.status} = 'published'`),
    index('offers_published_ects_idx').on(table.ects, table.id).where(sql`${table.status} = 'published'`),
    index('offers_published_title_idx').on(table.sortTitle, table.id).where(sql`${table.status} = 'published'`),
    // The level is the filter that narrows most cheaply; in the default order, so a filtered
    // page walks one level's offers only (1.7 → 0.45 ms for a rare combination at 100,000).
    index('offers_published_eqf_created_idx').on(table.eqfLevel, table.createdAt, table.id).where(sql`${table.status} = 'published'`),
    index('offers_published_start_idx').on(table.startDate).where(sql`${table.status} = 'published'`),
    index('offers_languages_idx').using('gin', table.languages).with(GIN_PENDING).where(sql`${table.status} = 'published'`),
    index('offers_isced_idx').using('gin', table.iscedPaths).with(GIN_PENDING).where(sql`${table.status} = 'published'`),
    index('offers_participation_idx').using('gin', table.participation).with(GIN_PENDING).where(sql`${table.status} = 'published'`),
    index('offers_countries_idx').using('gin', table.issuerCountries).with(GIN_PENDING).where(sql`${table.status} = 'published'`),
    index('offers_alliances_idx').using('gin', table.alliances).with(GIN_PENDING).where(sql`${table.status} = 'published'`),
  ],
)

/**
 * The search documents of published offers, as ranked search reads them: a copy of
 * `offers.search`, and of the columns search filters compare, kept by the search indexer
 * (catalogue/search-indexer.ts) a moment behind the offers. Where the database has the RUM
 * extension, the ranking index is on this table (migration 0020): RUM has no pending list, and
 * keeping it in the writing transaction cost a sync of 5,000 new offers 4.7 s of its 5.4 s;
 * here that cost is paid after the commit. The filter columns let a search drop the matches a
 * filter excludes on the row the index scan reads anyway; those it keeps are checked against
 * the offer as it is now. A column added here is copied by the indexer (COPIED in
 * catalogue/search-index-repository.ts) and must be compared by the queueing trigger too
 * (migrations 0020 and 0022; test/search-indexer.test.ts checks that it is).
 */
export const offerSearchRanking = pgTable('offer_search_ranking', {
  // No foreign key: its check would have the indexer take a key-share lock on the offer, which a
  // sync holds FOR UPDATE while it waits for the queue row the indexer holds (a deadlock). A
  // deleted offer is queued like any other change, and the indexer removes its copy.
  offerId: uuid('offer_id').primaryKey(),
  search: tsvector('search').notNull(),
  institutionSchac: text('institution_schac').notNull(),
  alliances: text('alliances').array().notNull(),
  issuerCountries: text('issuer_countries').array().notNull(),
  eqfLevel: smallint('eqf_level'),
  ects: numeric('ects', { precision: 5, scale: 2, mode: 'number' }),
  iscedPaths: text('isced_paths').array().notNull(),
  languages: text('languages').array().notNull(),
  participation: text('participation').array().notNull(),
  qaType: text('qa_type'),
  stackable: boolean('stackable').notNull(),
  startDate: date('start_date', { mode: 'string' }),
})

/**
 * Offers whose search document, status or filter columns changed since the indexer last
 * copied them, queued by triggers on offers (migration 0020) in the writing transaction,
 * whatever wrote them.
 */
export const offerSearchPending = pgTable(
  'offer_search_pending',
  {
    offerId: uuid('offer_id').primaryKey(),
    /** When the offer was queued; queueing it again while it waits keeps the first time. */
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  // The indexer takes the longest-waiting first: without the index each round sorted the whole
  // queue (a claim locks its rows, so the sort cannot stop at the batch).
  (table) => [index('offer_search_pending_queued_idx').on(table.queuedAt)],
)

/**
 * The answer of each registered institution an offer names as awarding body. Until it
 * confirms, the offer is listed under its provider alone; it may decline, or change its
 * answer, at any time. A row is made (pending) when an offer first names the institution and
 * is kept when a later version drops the name (named again, the answer still holds).
 */
export const awardingConsents = pgTable(
  'awarding_consents',
  {
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id, { onDelete: 'restrict' }),
    institutionSchac: text('institution_schac')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'cascade' }),
    status: text('status').$type<'pending' | 'confirmed' | 'declined'>().notNull().default('pending'),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    primaryKey({ columns: [table.offerId, table.institutionSchac] }),
    check('awarding_consents_status_valid', sql`${table.status} in ('pending', 'confirmed', 'declined')`),
    index('awarding_consents_institution_idx').on(table.institutionSchac, table.requestedAt, table.offerId),
  ],
)

/**
 * The runs (OOAPI offerings) of an offer: when and where it takes place, addressed by the
 * provider's own run id. Not part of the offer's content: a run changes without a new offer
 * version. `content` is what the provider stated; the columns after it are derived from it
 * for the search's EXISTS subqueries, each index led by the column a filter compares.
 */
export const offerRuns = pgTable(
  'offer_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id, { onDelete: 'restrict' }),
    institutionSchac: text('institution_schac')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'restrict' }),
    runId: text('run_id').notNull(),
    /** Increases on every change; the strong ETag. */
    revision: integer('revision').notNull().default(1),
    content: jsonb('content').$type<RunInput>().notNull(),
    contentHash: text('content_hash').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    applicationOpens: date('application_opens', { mode: 'string' }),
    applicationCloses: date('application_closes', { mode: 'string' }),
    /** Places left as the provider states them; null when it does not say. */
    placesAvailable: integer('places_available'),
    mode: text('mode').notNull(),
    openTo: text('open_to').$type<'anyone' | 'alliance_students' | 'institutions'>().notNull(),
    openToInstitutions: text('open_to_institutions').array().notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('offer_runs_offer_run_id_key').on(table.offerId, table.runId),
    check('offer_runs_dates_ordered', sql`${table.endDate} >= ${table.startDate}`),
    check('offer_runs_open_to_valid', sql`${table.openTo} in ('anyone', 'alliance_students', 'institutions')`),
    index('offer_runs_offer_start_idx').on(table.offerId, table.startDate),
    index('offer_runs_start_idx').on(table.startDate, table.offerId),
    index('offer_runs_application_idx').on(table.applicationCloses, table.applicationOpens, table.offerId).where(sql`${table.applicationCloses} is not null`),
    index('offer_runs_mode_idx').on(table.mode, table.offerId),
    index('offer_runs_places_idx').on(table.offerId).where(sql`${table.placesAvailable} > 0`),
  ],
)

/** Every version of every offer, immutable once written. */
export const offerVersions = pgTable(
  'offer_versions',
  {
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    content: jsonb('content').$type<OfferContent>().notNull(),
    contentHash: text('content_hash').notNull(),
    compliance: jsonb('compliance').$type<Compliance>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** When this version was first published; null while it has only been a draft. */
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [primaryKey({ columns: [table.offerId, table.version] })],
)

/**
 * The change feed: one row per change to public or private data, in commit order. Writers
 * append as the last step of their transaction under one advisory lock, so a sequence is
 * never committed behind one a reader has already passed.
 */
export const changes = pgTable(
  'changes',
  {
    sequence: bigint('sequence', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    type: text('type').$type<'offer' | 'run' | 'recognition' | 'institution'>().notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    version: integer('version'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The institution the changed object belongs to (for the institution filter). */
    institution: text('institution'),
    /** Null for public changes; otherwise the institutions allowed to see the entry. */
    visibleTo: text('visible_to').array(),
    /**
     * Recognition entries: the decision's validity period as recorded (decisions are never
     * edited), so that the feed and webhooks carry it without reading the decision. Null for
     * other entries.
     */
    validFrom: date('valid_from', { mode: 'string' }),
    validUntil: date('valid_until', { mode: 'string' }),
  },
  (table) => [index('changes_institution_idx').on(table.institution, table.sequence)],
)

/** Responses of POST writes by (client, Idempotency-Key), stored in the write's transaction. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    clientKey: text('client_key').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.clientKey, table.key] }), index('idempotency_keys_created_idx').on(table.createdAt)],
)

/**
 * Recognition decisions: immutable once recorded, except for the status fields that record
 * their supersession or revocation. Decisions in force for the same (recognising institution,
 * offer, scope, learner, purpose) have validity periods that do not overlap: the service checks
 * it under a transaction lock on the key (a partial unique index cannot compare periods).
 */
export const recognitionDecisions = pgTable(
  'recognition_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recognisingInstitution: text('recognising_institution')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'restrict' }),
    offeringInstitution: text('offering_institution')
      .notNull()
      .references(() => institutions.schac, { onDelete: 'restrict' }),
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id, { onDelete: 'restrict' }),
    offerVersion: integer('offer_version').notNull(),
    scope: text('scope').$type<'ex_ante' | 'individual'>().notNull(),
    learnerRef: text('learner_ref'),
    /** The learner reference in normal form (NFKC, trimmed, lower case): what decisions are compared by. */
    learnerKey: text('learner_key'),
    credentialRef: text('credential_ref'),
    purpose: text('purpose').notNull(),
    purposeText: text('purpose_text'),
    outcome: text('outcome').$type<'full' | 'partial' | 'none'>().notNull(),
    creditsRecognised: numeric('credits_recognised', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    /** Components, substantial differences, conditions and appeal, as stated. */
    details: jsonb('details').$type<DecisionDetails>().notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }).notNull(),
    supersedes: uuid('supersedes'),
    status: text('status').$type<'in_force' | 'superseded' | 'revoked'>().notNull().default('in_force'),
    supersededBy: uuid('superseded_by'),
    supersededAt: timestamp('superseded_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revocationReason: text('revocation_reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('recognition_key_in_force_idx')
      .on(table.recognisingInstitution, table.offerId, table.scope, table.purpose, table.learnerKey)
      .where(sql`${table.status} = 'in_force'`),
    check('recognition_status_valid', sql`${table.status} in ('in_force', 'superseded', 'revoked')`),
    check('recognition_scope_valid', sql`${table.scope} in ('ex_ante', 'individual')`),
    check('recognition_outcome_valid', sql`${table.outcome} in ('full', 'partial', 'none')`),
    index('recognition_offer_idx').on(table.offerId, table.status),
    index('recognition_recognising_idx').on(table.recognisingInstitution, table.createdAt, table.id),
    index('recognition_offering_idx').on(table.offeringInstitution, table.createdAt, table.id),
    index('recognition_created_idx').on(table.createdAt, table.id),
  ],
)

/**
 * An institution's recognition settings: the time limit within which it decides individual
 * applications, set in advance and published (Lisbon Recognition Convention, art. III.5).
 */
export const recognitionSettings = pgTable('recognition_settings', {
  institutionSchac: text('institution_schac')
    .primaryKey()
    .references(() => institutions.schac, { onDelete: 'cascade' }),
  /** ISO 8601 duration from the day an application is complete, e.g. P4M. */
  decisionTimeLimit: text('decision_time_limit').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/**
 * The audit trail: one record per successful write, in the write's transaction. Append-only
 * (a trigger refuses UPDATE, DELETE and TRUNCATE) and tamper-evident: each record's hash
 * covers its content and the hash of the previous record of the same chain (institution).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The acting institution, or "operators" for operator actions, "system" for set-up. */
    chain: text('chain').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    clientId: text('client_id'),
    institution: text('institution'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    objectVersion: integer('object_version'),
    /** The server's own id of the request (unique); null for writes outside HTTP. */
    requestId: text('request_id'),
    /** The X-Request-Id the caller sent, if any: the caller's label, which several requests may share. */
    callerRequestId: text('caller_request_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (table) => [
    index('audit_log_chain_idx').on(table.chain, table.id),
    index('audit_log_institution_idx').on(table.institution, table.id),
  ],
)

/** A webhook subscription: where an API client wants the change feed pushed, and what of it. */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The API client that owns it; its institution and scopes decide what it may receive. */
    clientId: uuid('client_id').notNull().references(() => apiClients.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description'),
    /** `offer`, `recognition`, `institution`, or one action of a type (`offer.published`). */
    events: text('events').array().notNull(),
    /** Only changes of objects owned by these institutions (null: any). */
    institutions: text('institutions').array(),
    /** Only changes of objects owned by members of these alliances (null: any). */
    alliances: text('alliances').array(),
    status: text('status').$type<'active' | 'paused' | 'disabled'>().notNull().default('active'),
    disabledReason: text('disabled_reason'),
    /** Kept in the clear: HMAC signing needs the secret itself; never shown after creation. */
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, mode: 'date' }),
    /** The feed position when it was made: it receives the changes after it. */
    fromSequence: bigint('from_sequence', { mode: 'number' }).notNull(),
    /** Start of the current run of failed automatic deliveries; null when the last one succeeded. */
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'date' }),
    /** The last failed automatic delivery: a run of failures ends after a quiet spell as long as the disabling delay. */
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [index('webhook_subscriptions_client_idx').on(table.clientId, table.id)],
)

/** One event to push to one subscription, retried until it succeeds or its attempts run out. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: uuid('subscription_id').notNull().references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    /** The feed entry pushed; null for a test ping. */
    sequence: bigint('sequence', { mode: 'number' }),
    /** The `webhook-id` header: the same on every attempt and redelivery of one event. */
    messageId: text('message_id').notNull(),
    /** The exact JSON body sent (and signed). */
    payload: text('payload').notNull(),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull().default('pending'),
    /** Asked for by the subscriber (redeliver, replay, ping): does not count toward disabling. */
    manual: boolean('manual').notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    /** When it is next due; while an attempt is under way, when its lease runs out. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    // Claims take each active subscription's earliest due deliveries (a few per subscription).
    index('webhook_deliveries_due_idx').on(table.subscriptionId, table.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_subscription_idx').on(table.subscriptionId, table.id),
  ],
)

/** The delivery log: one row per attempt. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull().references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The HTTP status; null when no response came (refused, timed out, connection error). */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    /** The start of the response body, truncated. */
    responseBody: text('response_body'),
  },
  (table) => [index('webhook_attempts_delivery_idx').on(table.deliveryId, table.id), index('webhook_attempts_at_idx').on(table.at)],
)

/** How far the change feed has been fanned out to subscriptions (one row). */
export const webhookFanout = pgTable('webhook_fanout', {
  id: smallint('id').primaryKey(),
  lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
})
