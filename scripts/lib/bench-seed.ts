import pg from 'pg'
import { openDatabase } from '../../src/db/client.js'
import { prepareOffer, RUM_INDEX, RUM_INDEX_COLUMNS, searchIndexRepository } from '../../src/modules/catalogue/index.js'
import type { OfferInput } from '../../src/modules/catalogue/index.js'
import { benchOffer, hash, type BenchInstitution } from './bench-content.js'

/**
 * The benchmark's data set, seeded with set-based SQL (no request per row): 500 institutions
 * in 60 alliances, `offers` published offers with multilingual content, one version each,
 * about two ex-ante recognition decisions in force per offer, and the change feed of all of
 * it. Offer rows are made by the service's own `prepareOffer` (defaults, content hash, Annex I
 * compliance, derived columns) and written in chunks, with the search document built by the
 * same SQL expression the service uses. A marker table records what was seeded, so a later
 * run at the same scale reuses the database; a progress table lets an interrupted seed (a
 * million offers take a while) resume where it stopped. Where the server has the rum extension,
 * it is created and the RUM ranking index built once the rows are in (one bulk build instead of
 * a million index insertions), as an operator would (README, "Full-text search at scale").
 */

/** Bump when the data set changes shape: older bench databases are then re-seeded. */
const SEED_VERSION = 'multilingual-3'
const INSTITUTIONS = 500
export const BENCH_ALLIANCES = 60
const COUNTRIES = ['IT', 'BE', 'DE', 'FR', 'ES', 'NL', 'FI', 'SE', 'PL', 'PT', 'AT', 'IE']
const CHUNK = 2000
/** The seeded catalogue spans about three years of publication. */
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000

export const benchSchac = (i: number) => `inst${i}.bench.example`
export const BENCH_SCHAC_PATTERN = 'inst%.bench.example'

/** Institution i's country and alliances (one or two of the 60). */
export function benchInstitution(i: number): BenchInstitution {
  const first = `bench-alliance-${1 + (i % BENCH_ALLIANCES)}`
  const second = `bench-alliance-${1 + ((i * 7 + 13) % BENCH_ALLIANCES)}`
  const alliances = i % 3 === 0 && second !== first ? [first, second] : [first]
  return { schac: benchSchac(i), country: COUNTRIES[i % COUNTRIES.length]!, alliances: alliances.sort() }
}

/** Offers are spread unevenly: a few large catalogues, many small ones. */
function institutionOf(n: number): number {
  const u = hash(n, 'institution') / 2 ** 32
  return 1 + Math.floor(INSTITUTIONS * u ** 1.5)
}

export interface Dataset {
  name: string
  url: URL
  offers: number
  reused: boolean
  seedSeconds: number
}

/**
 * Makes sure `url` names a database holding this data set at `offers` offers: reuses it when
 * its marker says so, otherwise creates (or drops and re-creates) it, migrates and seeds it.
 * Only databases whose name starts with passerelle_bench are ever dropped.
 */
export async function prepareDataset(url: URL, offers: number, log: (line: string) => void, options: { rum: boolean } = { rum: true }): Promise<Dataset> {
  const name = decodeURIComponent(url.pathname.slice(1))
  const server = new URL(url)
  server.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: server.toString() })
  await admin.connect()
  let resumed = false
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1
    if (exists) {
      const marker = await readMarker(url, 'bench_dataset')
      if (marker?.offers === offers && marker.seed === SEED_VERSION) {
        // New migrations still apply to a reused data set. VACUUM brings it back to the state
        // of a fresh seed: a previous run's sync leaves dead rows and GIN pending-list entries
        // that every search would otherwise scan.
        const database = await openDatabase({ databaseUrl: url.toString() })
        await database.migrate()
        await database.close()
        await withClient(url, async (client) => {
          await rankingIndex(url, client, options.rum, log)
          await client.query('vacuum (analyze)')
          await client.query('checkpoint')
        })
        log(`${name}: reusing ${offers.toLocaleString('en')} offers (seeded ${marker.seededAt})`)
        return { name, url, offers, reused: true, seedSeconds: 0 }
      }
      if (!name.startsWith('passerelle_bench')) {
        throw new Error(`${name} does not hold this benchmark's data set; the benchmark only re-creates databases named passerelle_bench*`)
      }
      const progress = marker ? undefined : await readMarker(url, 'bench_seed_progress')
      if (progress?.offers === offers && progress.seed === SEED_VERSION) {
        resumed = true
        log(`${name}: resuming the seed of ${offers.toLocaleString('en')} offers begun ${progress.seededAt}`)
      } else {
        log(`${name}: holds ${marker ? `${marker.offers} offers (${marker.seed})` : 'no bench data set'}; re-creating it`)
        await admin.query(`drop database "${name}" with (force)`)
      }
    }
    if (!resumed) await admin.query(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  const started = performance.now()
  const database = await openDatabase({ databaseUrl: url.toString() })
  await database.migrate()
  await database.close()
  log(`${name}: seeding ${offers.toLocaleString('en')} offers`)
  const client = new pg.Client({ connectionString: url.toString(), statement_timeout: 3_600_000 })
  await client.connect()
  try {
    await client.query(`create table if not exists bench_seed_progress (offers integer not null, seed text not null, seeded_at timestamptz not null default now())`)
    if (!resumed) await client.query('insert into bench_seed_progress (offers, seed) values ($1, $2)', [offers, SEED_VERSION])
    await seed(client, offers, log)
    await rankingIndex(url, client, options.rum, log)
    // The marker and the end of the progress table at once: an interruption here resumes.
    await client.query('begin')
    await client.query(`create table bench_dataset (offers integer not null, seed text not null, seeded_at timestamptz not null default now())`)
    await client.query('insert into bench_dataset (offers, seed) values ($1, $2)', [offers, SEED_VERSION])
    await client.query('drop table bench_seed_progress')
    await client.query('commit')
  } finally {
    await client.end()
  }
  const seedSeconds = Math.round((performance.now() - started) / 1000)
  log(`${name}: seeded in ${seedSeconds} s${resumed ? ' (this run\'s part)' : ''}`)
  return { name, url, offers, reused: false, seedSeconds }
}

/**
 * Brings the ranking copy of the search documents in line with the offers in one go, as the
 * service's search indexer would round after round: the seed's offers were queued by the
 * triggers of migration 0020 as they were inserted.
 */
async function indexQueuedOffers(url: URL, log: (line: string) => void): Promise<void> {
  const started = performance.now()
  const database = await openDatabase({ databaseUrl: url.toString(), statementTimeoutMs: 3_600_000 })
  let copied = 0
  try {
    for (;;) {
      const round = await searchIndexRepository.indexQueued(database.db, 200_000)
      copied += round.claimed
      if (round.claimed < 200_000) break
    }
  } finally {
    await database.close()
  }
  if (copied > 0) log(`  ${copied.toLocaleString('en')} search documents copied for ranking (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

/**
 * Where the server has the rum extension: creates it (the benchmark runs as a superuser, as an
 * operator adding it would) and the ranking index migrations 0020 and 0023 make where the
 * extension exists. Elsewhere the data set ranks with ts_rank_cd, as such a deployment would.
 */
async function rankingIndex(url: URL, client: pg.Client, rum: boolean, log: (line: string) => void): Promise<void> {
  // Before the index: one bulk build instead of a hundred thousand inserts into it.
  await indexQueuedOffers(url, log)
  if (!rum) {
    // --no-rum: the data set ranks as a server without the extension would.
    await client.query(`drop index if exists ${RUM_INDEX}`)
    log('  --no-rum: full-text search ranks with ts_rank_cd')
    return
  }
  const available = (await client.query(`select 1 from pg_available_extensions where name = 'rum'`)).rowCount === 1
  if (!available) {
    log('  no rum extension on this server: full-text search ranks with ts_rank_cd')
    return
  }
  await client.query('create extension if not exists rum')
  const present = (await client.query(`select 1 from pg_class where relname = $1`, [RUM_INDEX])).rowCount === 1
  if (present) return
  const started = performance.now()
  await client.query(`set maintenance_work_mem = '1GB'`)
  await client.query(`create index ${RUM_INDEX} on offer_search_ranking using rum (${RUM_INDEX_COLUMNS})`)
  log(`  RUM ranking index built (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

async function withClient(url: URL, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}

async function readMarker(url: URL, table: 'bench_dataset' | 'bench_seed_progress'): Promise<{ offers: number; seed: string; seededAt: string } | undefined> {
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    const result = await client.query(`select offers, seed, seeded_at::text as "seededAt" from ${table} limit 1`)
    return result.rows[0]
  } catch {
    return undefined
  } finally {
    await client.end()
  }
}

async function seed(client: pg.Client, offers: number, log: (line: string) => void): Promise<void> {
  const step = async (label: string, run: () => Promise<unknown>) => {
    const started = performance.now()
    await run()
    log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  const institutions = Array.from({ length: INSTITUTIONS }, (_, k) => benchInstitution(k + 1))
  const counted = async (query: string) => Number((await client.query(query)).rows[0].n)
  // Each step is one statement, or (offers) statements of a chunk each: what a resumed seed
  // finds done, it does not do again.
  const seededOffers = await counted(`select count(*) as n from offers where institution_schac like '${BENCH_SCHAC_PATTERN}'`)

  if ((await counted(`select count(*) as n from institutions where schac like '${BENCH_SCHAC_PATTERN}'`)) === 0) {
    await step('500 institutions, 60 alliances', async () => {
      // One transaction: a resumed seed finds all three or none.
      await client.query('begin')
      await client.query(
      `insert into institutions (schac, name, country, website)
       select r.schac, jsonb_build_object('en', 'University ' || r.i), r.country, 'https://' || r.schac
       from jsonb_to_recordset($1::jsonb) as r(i int, schac text, country text)`,
      [JSON.stringify(institutions.map((institution, k) => ({ i: k + 1, ...institution })))],
      )
      await client.query(
      `insert into alliances (slug, name, website)
       select 'bench-alliance-' || a, 'Alliance ' || a, 'https://alliance-' || a || '.bench.example' from generate_series(1, $1::int) a`,
      [BENCH_ALLIANCES],
      )
      await client.query(
      `insert into alliance_members (alliance_slug, institution_schac)
       select slug, r.schac from jsonb_to_recordset($1::jsonb) as r(schac text, alliances text[]), unnest(r.alliances) slug`,
      [JSON.stringify(institutions)],
      )
      await client.query('commit')
    })
  }

  // Offers and their first versions, oldest first, in chunks made by the service's own code.
  if (seededOffers > 0) log(`  ${seededOffers.toLocaleString('en')} offers already seeded`)
  await step(`${(offers - seededOffers).toLocaleString('en')} offers and versions`, async () => {
    // A resumed seed continues the same timeline: offer n was published at origin + SPAN·n/offers.
    const first = await client.query(`select (extract(epoch from created_at) * 1000)::float8 as ms from offers where external_id = 'MC-1' and institution_schac like '${BENCH_SCHAC_PATTERN}'`)
    const origin = first.rowCount === 1 ? Number(first.rows[0].ms) - Math.floor(SPAN_MS / offers) : Date.now() - SPAN_MS - 60 * 24 * 3600 * 1000
    for (let start = seededOffers + 1; start <= offers; start += CHUNK) {
      const rows = []
      for (let n = start; n < Math.min(start + CHUNK, offers + 1); n++) {
        const institution = institutions[institutionOf(n) - 1]!
        const prepared = prepareOffer(benchOffer(n, institution) as OfferInput, institution)
        if (prepared.ruleErrors.length > 0 || !prepared.state.compliance.complete) {
          throw new Error(`bench offer ${n} is not publishable: ${JSON.stringify(prepared.ruleErrors)}`)
        }
        const { state } = prepared
        rows.push({
          institution_schac: institution.schac,
          external_id: `MC-${n}`,
          created_at: new Date(origin + Math.floor((SPAN_MS * n) / offers)).toISOString(),
          content: state.content,
          content_hash: state.contentHash,
          compliance: state.compliance,
          ...snakeCase(state.indexed),
          // Bench offers name no other awarding body: listed under their own country, in their institution's alliances.
          issuer_countries: state.content.issuerCountries,
          alliances: institution.alliances,
        })
      }
      await client.query(
        `with r as (
           select * from jsonb_to_recordset($1::jsonb) as r(
             institution_schac text, external_id text, created_at timestamptz, content jsonb, content_hash text,
             compliance jsonb, ects numeric, eqf_level smallint, languages text[], isced_paths text[],
             participation text[], qa_type text, stackable boolean, start_date date, issuer_countries text[],
             alliances text[], sort_title text, search_titles text, search_body text)
         ),
         inserted as (
           insert into offers (institution_schac, external_id, status, version, revision, content, content_hash, compliance,
                               created_at, updated_at, published_at, ects, eqf_level, languages, isced_paths, participation,
                               qa_type, stackable, start_date, issuer_countries, alliances, sort_title, search)
           select institution_schac, external_id, 'published', 1, 1, content, content_hash, compliance,
                  created_at, created_at, created_at, ects, eqf_level, languages, isced_paths, participation,
                  qa_type, stackable, start_date, issuer_countries, alliances, sort_title,
                  setweight(to_tsvector('simple', search_titles), 'A') || setweight(to_tsvector('simple', search_body), 'B')
           from r order by created_at
           returning id, content, content_hash, compliance, created_at
         )
         insert into offer_versions (offer_id, version, content, content_hash, compliance, created_at, published_at)
         select id, 1, content, content_hash, compliance, created_at, created_at from inserted`,
        [JSON.stringify(rows)],
      )
      if ((start - 1) % (CHUNK * 10) === 0 && start > 1) log(`    ${(start - 1).toLocaleString('en')} offers`)
    }
  })

  // 0–4 ex-ante decisions in force per offer (two on average), each by a different
  // institution that is not the offering one, decided within weeks of publication.
  if ((await counted('select count(*) as n from recognition_decisions')) === 0) {
    await step('recognition decisions', () =>
      client.query(
      `insert into recognition_decisions (recognising_institution, offering_institution, offer_id, offer_version, scope, purpose,
                                          outcome, credits_recognised, details, valid_from, valid_until, decided_at, created_at)
       select 'inst' || (1 + (o.inst - 1 + k * 37) % ${INSTITUTIONS}) || '.bench.example', o.institution_schac, o.id, 1, 'ex_ante',
              case when h % 5 = 0 then 'exemption' else 'credit_transfer' end,
              outcome, credits,
              jsonb_build_object(
                'recognisedAs', case when outcome = 'none' then '[]'::jsonb else jsonb_build_array(jsonb_build_object(
                  'code', 'EL-' || (1000 + h % 9000), 'title', 'Elective: ' || o.title, 'credits', credits)) end,
                'substantialDifferences', case when outcome = 'full' then '[]'::jsonb else jsonb_build_array(jsonb_build_object(
                  'element', (array['workload','level','learning_outcomes'])[1 + h % 3],
                  'description', 'The programme''s corresponding component asks for more than the micro-credential covers.')) end,
                'justification', 'Learning outcomes, level and workload compared with the programme''s elective components.',
                'conditions', case when h % 4 = 0 then jsonb_build_array('Pass the oral examination of the corresponding module') else '[]'::jsonb end)
              || case when outcome <> 'full' then jsonb_build_object('appeal', jsonb_build_object(
                   'body', 'Recognition appeals board', 'deadline', to_char(decided + interval '60 days', 'YYYY-MM-DD'))) else '{}'::jsonb end,
              decided::date, case when h % 5 = 1 then date '2028-08-31' end, decided, decided
       from (
         select id, institution_schac, ects, created_at, coalesce(content->'title'->>'en', (select value from jsonb_each_text(content->'title') limit 1)) as title,
                substring(institution_schac from '^inst([0-9]+)\\.')::int as inst,
                abs(hashtext(id::text)) % 5 as decisions
         from offers where institution_schac like '${BENCH_SCHAC_PATTERN}'
       ) o
       cross join lateral generate_series(1, o.decisions) k
       cross join lateral (select abs(hashtext(o.id::text || k)) as h) hashed
       cross join lateral (select case when h % 20 = 0 then 'none' when h % 20 < 6 then 'partial' else 'full' end as outcome) judged
       cross join lateral (select case outcome when 'full' then o.ects when 'partial' then round(o.ects / 2, 2) else 0 end as credits,
                                  o.created_at + (k * 9 + h % 9) * interval '1 day' as decided) dated`,
      ),
    )
  }

  if ((await counted('select count(*) as n from changes')) === 0) {
    await step('change feed', () =>
      client.query(
      `insert into changes (type, entity_id, action, version, at, institution, valid_from, valid_until)
       select type, entity_id, action, version, at, institution, valid_from, valid_until from (
         select 'offer' as type, id::text as entity_id, e.action, 1 as version, created_at as at, institution_schac as institution, e.ord,
                null::date as valid_from, null::date as valid_until
         from offers cross join (values ('created', 1), ('published', 2)) e(action, ord)
         where institution_schac like '${BENCH_SCHAC_PATTERN}'
         union all
         select 'recognition', id::text, 'created', null, created_at, recognising_institution, 3, valid_from, valid_until from recognition_decisions
       ) feed order by at, entity_id, ord`,
      ),
    )
  }
  await step('vacuum analyze, checkpoint', async () => {
    await client.query('vacuum (analyze)')
    await client.query('checkpoint')
  })
}

function snakeCase(fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]))
}
