import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import t, { type Test } from 'tap'
import { rowsOf, type Executor } from '../src/db/client.js'
import { learnerCollisions } from '../src/modules/recognition/index.js'
import { postgresReachable, TEST_SERVER_URL } from './helpers/database.js'

/** The migrations up to (and including) `last`, in a folder of their own. */
function migrationsUpTo(last: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'passerelle-migrations-'))
  cpSync('migrations', folder, { recursive: true })
  const journalFile = path.join(folder, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
  const end = journal.entries.findIndex((entry) => entry.tag === last)
  for (const entry of journal.entries.slice(end + 1)) rmSync(path.join(folder, `${entry.tag}.sql`))
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }))
  return folder
}

interface Database {
  execute(query: ReturnType<typeof sql>): Promise<unknown>
  migrate(folder: string): Promise<void>
  /** The same database as the services take it. */
  executor: Executor
}

/** Offers as the release before 0010 stored them, then the migration: what they show is derived as now. */
async function checkStoredOffersMigration(t: Test, db: Database) {
  await db.migrate(migrationsUpTo('0009_awarding_consents'))
  const one = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query))
  await db.execute(sql`insert into institutions (schac, name, country) values
    ('unibo.it', '{"en":"Bologna"}', 'IT'), ('kuleuven.be', '{"en":"Leuven"}', 'BE'), ('helsinki.fi', '{"en":"Helsinki"}', 'FI')`)
  await db.execute(sql`insert into alliances (slug, name) values ('una-europa', 'Una Europa'), ('civis', 'CIVIS')`)
  // unibo.it has left Una Europa since it wrote its offer, and joined CIVIS.
  await db.execute(sql`insert into alliance_members (alliance_slug, institution_schac) values ('una-europa', 'kuleuven.be'), ('civis', 'unibo.it')`)
  const content = {
    title: { en: 'Joint' },
    issuerCountries: ['IT', 'BE', 'NL', 'FR'],
    awardingBodies: [{ schac: 'unibo.it' }, { schac: 'kuleuven.be' }, { schac: 'nowhere.example' }, { name: { en: 'Academy' }, country: 'NL' }],
    alliances: ['una-europa'],
  }
  const [offer] = await one<{ id: string }>(sql`
    insert into offers (institution_schac, external_id, status, version, revision, content, content_hash, compliance, published_at,
                        languages, isced_paths, participation, stackable, issuer_countries, alliances, sort_title, search)
    values ('unibo.it', 'OLD', 'published', 1, 3, ${JSON.stringify(content)}::jsonb, 'hash', '{"complete":true,"missing":[]}', now(),
            '{}', '{}', '{}', false, '{IT,BE,NL,FR}', '{una-europa}', 'joint', to_tsvector('simple', 'joint'))
    returning id`)
  const [draft] = await one<{ id: string }>(sql`
    insert into offers (institution_schac, external_id, status, version, revision, content, content_hash, compliance,
                        languages, isced_paths, participation, stackable, issuer_countries, alliances, sort_title, search)
    values ('unibo.it', 'DRAFT', 'draft', 1, 1, '{"title":{"en":"Draft"}}', 'hash', '{"complete":false,"missing":[]}',
            '{}', '{}', '{}', false, '{IT}', '{una-europa}', 'draft', to_tsvector('simple', 'draft'))
    returning id`)

  await db.migrate('migrations')

  const [after] = await one<{ alliances: string[]; issuer_countries: string[]; revision: number; content: typeof content }>(
    sql`select alliances, issuer_countries, revision, content from offers where id = ${offer!.id}`,
  )
  t.same(after!.alliances, ['civis'], 'the alliances of now')
  t.same(after!.issuer_countries, ['IT', 'NL'], 'the provider\'s and the declared body\'s countries; BE waits for Leuven, FR stands for no one')
  t.equal(after!.revision, 4, 'what it shows changed: a new ETag')
  t.same(after!.content, content, 'the content is as it was')
  const consents = await one<{ institution_schac: string; status: string }>(sql`select institution_schac, status from awarding_consents where offer_id = ${offer!.id}`)
  t.same(consents, [{ institution_schac: 'kuleuven.be', status: 'pending' }], 'registered institutions named are asked; unknown ones are not')
  const feed = await one<{ entity_id: string; action: string; visible_to: string[] | null }>(sql`select entity_id, action, visible_to from changes order by sequence`)
  t.same(feed, [
    { entity_id: offer!.id, action: 'alliances_changed', visible_to: null },
    { entity_id: offer!.id, action: 'awarding_changed', visible_to: null },
    { entity_id: draft!.id, action: 'alliances_changed', visible_to: ['unibo.it'] },
  ].sort((a, b) => (a.entity_id === b.entity_id ? 0 : a.entity_id < b.entity_id ? -1 : 1)), 'the change feed says what changed, drafts for their institution only')
}

/**
 * Decisions as the release before the recognition migrations stored them: every one carried
 * over as it was, learner references gain their normal form, and references that are one
 * learner once normalised are reported, not merged.
 */
async function checkRecognitionMigration(t: Test, db: Database) {
  await db.migrate(migrationsUpTo('0012_webhook_deliveries_due_per_subscription'))
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query))
  await db.execute(sql`insert into institutions (schac, name, country) values ('unibo.it', '{"en":"Bologna"}', 'IT'), ('kuleuven.be', '{"en":"Leuven"}', 'BE')`)
  const [offer] = await rows<{ id: string }>(sql`
    insert into offers (institution_schac, external_id, status, version, revision, content, content_hash, compliance, published_at,
                        languages, isced_paths, participation, stackable, issuer_countries, alliances, sort_title, search)
    values ('unibo.it', 'REC', 'published', 1, 1, '{"title":{"en":"Recognised"}}', 'hash', '{"complete":true,"missing":[]}', now(),
            '{}', '{}', '{}', false, '{IT}', '{}', 'recognised', to_tsvector('simple', 'recognised'))
    returning id`)
  const decision = (learnerRef: string | null, validFrom: string) => sql`
    insert into recognition_decisions (recognising_institution, offering_institution, offer_id, offer_version, scope, learner_ref, purpose,
                                       outcome, credits_recognised, details, valid_from, decided_at)
    values ('kuleuven.be', 'unibo.it', ${offer!.id}, 1, ${learnerRef === null ? 'ex_ante' : 'individual'}, ${learnerRef}, 'credit_transfer',
            'full', 6, '{"recognisedAs":[],"substantialDifferences":[],"conditions":[]}', ${validFrom}, '2026-01-10T09:00:00Z')`
  // Distinct as stored (the old unique index let them in), one learner once normalised.
  for (const learnerRef of ['LRN-DUP-1', 'LRN-DUP-1 ', 'ＬＲＮ－ＤＵＰ－１', 'stu-42', null]) await db.execute(decision(learnerRef, '2026-01-10'))
  const before = await rows<Record<string, unknown>>(sql`select * from recognition_decisions order by learner_ref`)

  await db.migrate('migrations')

  const after = await rows<Record<string, unknown>>(sql`select * from recognition_decisions order by learner_ref`)
  t.same(after.map(({ learner_key: _key, ...row }) => row), before, 'every decision carried over as it was')
  t.same(after.map((row) => row.learner_key), ['lrn-dup-1', 'lrn-dup-1', 'stu-42', 'lrn-dup-1', null], 'each reference gains its normal form')
  const collisions = await learnerCollisions(db.executor)
  t.same(collisions.map((c) => [c.learnerKey, c.decisions.map((d) => d.learnerRef).sort()]), [['lrn-dup-1', ['LRN-DUP-1', 'LRN-DUP-1 ', 'ＬＲＮ－ＤＵＰ－１']]], 'the colliding decisions are reported, not merged')
}

/**
 * The change feed as the release before 0016 stored it: recognition entries gain their
 * decision's validity period from the decision; other entries and every stored field stay as they were.
 */
async function checkChangeFeedDatesMigration(t: Test, db: Database) {
  await db.migrate(migrationsUpTo('0014_recognition_learner_key_backfill'))
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query))
  await db.execute(sql`insert into institutions (schac, name, country) values ('unibo.it', '{"en":"Bologna"}', 'IT'), ('kuleuven.be', '{"en":"Leuven"}', 'BE')`)
  const [offer] = await rows<{ id: string }>(sql`
    insert into offers (institution_schac, external_id, status, version, revision, content, content_hash, compliance, published_at,
                        languages, isced_paths, participation, stackable, issuer_countries, alliances, sort_title, search)
    values ('unibo.it', 'FEED', 'published', 1, 1, '{"title":{"en":"Fed"}}', 'hash', '{"complete":true,"missing":[]}', now(),
            '{}', '{}', '{}', false, '{IT}', '{}', 'fed', to_tsvector('simple', 'fed'))
    returning id`)
  const decision = async (purpose: string, validFrom: string, validUntil: string | null) =>
    (await rows<{ id: string }>(sql`
      insert into recognition_decisions (recognising_institution, offering_institution, offer_id, offer_version, scope, purpose,
                                         outcome, credits_recognised, details, valid_from, valid_until, decided_at)
      values ('kuleuven.be', 'unibo.it', ${offer!.id}, 1, 'ex_ante', ${purpose}, 'full', 6,
              '{"recognisedAs":[],"substantialDifferences":[],"conditions":[]}', ${validFrom}, ${validUntil}, '2026-01-10T09:00:00Z')
      returning id`))[0]!.id
  const bounded = await decision('credit_transfer', '2026-09-01', '2027-08-31')
  const open = await decision('exemption', '2026-01-10', null)
  await db.execute(sql`insert into changes (type, entity_id, action, version, institution, visible_to) values
    ('offer', ${offer!.id}, 'published', 1, 'unibo.it', null),
    ('recognition', ${bounded}, 'created', null, 'kuleuven.be', null),
    ('recognition', ${open}, 'created', null, 'kuleuven.be', '{kuleuven.be,unibo.it}'),
    ('recognition', ${bounded}, 'revoked', null, 'kuleuven.be', null)`)
  const before = await rows<Record<string, unknown>>(sql`select * from changes order by sequence`)

  await db.migrate('migrations')

  const after = await rows<Record<string, unknown>>(sql`select * from changes order by sequence`)
  t.same(after.map(({ valid_from: _from, valid_until: _until, ...row }) => row), before, 'every entry carried over as it was')
  const day = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value)
  t.same(after.map((row) => [row.entity_id, day(row.valid_from), day(row.valid_until)]), [
    [offer!.id, null, null],
    [bounded, '2026-09-01', '2027-08-31'],
    [open, '2026-01-10', null],
    [bounded, '2026-09-01', '2027-08-31'],
  ], 'recognition entries gain their decision\'s validity period; others none')
}

t.test('0010 on PGlite', async (t) => {
  const client = new PGlite()
  const db = drizzlePglite(client)
  t.teardown(() => client.close())
  await checkStoredOffersMigration(t, { execute: (q) => db.execute(q), migrate: (folder) => migratePglite(db, { migrationsFolder: folder }), executor: db as unknown as Executor })
})

t.test('the recognition migrations on PGlite', async (t) => {
  const client = new PGlite()
  const db = drizzlePglite(client)
  t.teardown(() => client.close())
  await checkRecognitionMigration(t, { execute: (q) => db.execute(q), migrate: (folder) => migratePglite(db, { migrationsFolder: folder }), executor: db as unknown as Executor })
})

t.test('the change feed dates migration on PGlite', async (t) => {
  const client = new PGlite()
  const db = drizzlePglite(client)
  t.teardown(() => client.close())
  await checkChangeFeedDatesMigration(t, { execute: (q) => db.execute(q), migrate: (folder) => migratePglite(db, { migrationsFolder: folder }), executor: db as unknown as Executor })
})

/** A fresh database on the PostgreSQL server for one test, dropped after it. */
async function onPostgreSQL(t: Test, check: (t: Test, db: Database) => Promise<void>) {
  if (!(await postgresReachable())) return t.comment('no PostgreSQL server')
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL })
  await admin.connect()
  const name = `passerelle_migration_${randomBytes(4).toString('hex')}`
  await admin.query(`create database "${name}"`)
  const url = new URL(TEST_SERVER_URL)
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  t.teardown(async () => {
    await client.end()
    await admin.query(`drop database if exists "${name}" with (force)`)
    await admin.end()
  })
  const db = drizzlePg(client)
  await check(t, { execute: (q) => db.execute(q), migrate: (folder) => migratePg(db, { migrationsFolder: folder }), executor: db as unknown as Executor })
}

t.test('0010 on PostgreSQL', (t) => onPostgreSQL(t, checkStoredOffersMigration))
t.test('the recognition migrations on PostgreSQL', (t) => onPostgreSQL(t, checkRecognitionMigration))
t.test('the change feed dates migration on PostgreSQL', (t) => onPostgreSQL(t, checkChangeFeedDatesMigration))
