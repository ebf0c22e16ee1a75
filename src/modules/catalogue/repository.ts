import { createHash } from 'node:crypto'
import { and, asc, count, desc, eq, getTableColumns, gt, gte, inArray, isNotNull, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { columnList, isAnyOf, recordset } from '../../db/bulk.js'
import { rowsOf, type Executor, type Transaction } from '../../db/client.js'
import { awardingConsents, offerRuns, offerSearchRanking, offerVersions, offers } from '../../db/schema.js'
import type { IndexedFields, SurroundingFields } from './content.js'
import type { AwardingAnswer, Compliance, OfferContent, OfferSort, OfferStatus } from './schemas.js'

export type OfferRow = Omit<typeof offers.$inferSelect, 'search'>
export type OfferVersionRow = typeof offerVersions.$inferSelect
/** Where an offer stands: enough to decide who sees it and whether it changed. */
export type OfferStatusRow = Pick<OfferRow, 'id' | 'institutionSchac' | 'status' | 'publishedAt' | 'version'>

/** Every column but the search document, which is written and never read back. */
const { search: _search, ...offerColumns } = getTableColumns(offers)

/**
 * What reading an offer needs (its response, ETag and visibility): not the columns derived
 * from the content for filtering, whose arrays cost the hot reads time to parse, but those
 * that come from outside the content (alliances, listed issuer countries, the answers of the
 * institutions it names as awarding bodies).
 */
export const offerViewColumns = {
  id: offers.id,
  institutionSchac: offers.institutionSchac,
  externalId: offers.externalId,
  status: offers.status,
  version: offers.version,
  revision: offers.revision,
  content: offers.content,
  compliance: offers.compliance,
  createdAt: offers.createdAt,
  updatedAt: offers.updatedAt,
  publishedAt: offers.publishedAt,
  withdrawnAt: offers.withdrawnAt,
  alliances: offers.alliances,
  issuerCountries: offers.issuerCountries,
  awardingAnswers: sql<Record<string, AwardingAnswer> | null>`(
    select jsonb_object_agg(${awardingConsents.institutionSchac}, ${awardingConsents.status})
    from ${awardingConsents} where ${awardingConsents.offerId} = ${offers.id})`.as('awarding_answers'),
}
export type OfferView = Pick<OfferRow, Exclude<keyof typeof offerViewColumns, 'awardingAnswers'>> & {
  /** The answer of each registered institution the offer has named, by SCHAC code (null when none). */
  awardingAnswers: Record<string, AwardingAnswer> | null
}

/** An offer's content as written: with its hash, Annex I compliance and search fields. */
export interface PreparedContent {
  content: OfferContent
  contentHash: string
  compliance: Compliance
  indexed: IndexedFields
}

/** What a sync needs to know of an existing offer to decide what to do with it. */
export interface SyncedOffer {
  id: string
  externalId: string
  status: OfferStatus
  version: number
  contentHash: string
  publishedAt: Date | null
}

/** Whose published catalogue an export holds. */
export type ExportScope = { institution: string } | { alliance: string }

export interface OfferSearchFilter {
  /** Already folded (lower-case, no accents). */
  q?: string
  institution?: string
  alliance?: string
  country?: string
  eqfLevel?: number
  ectsMin?: number
  ectsMax?: number
  iscedField?: string
  language?: string
  participation?: string
  qaType?: string
  stackable?: boolean
  startsAfter?: string
  updatedSince?: string
  /** Conditions one same run of the offer must meet (see runCondition). */
  run?: RunFilter
  sort: OfferSort
  /** How a sort by relevance ranks (see SearchRanking); ts_rank_cd when absent. */
  ranking?: SearchRanking
  after?: ReadonlyArray<string | number | null>
  limit: number
  /** A statement timeout of its own (a full-text search's budget); PGlite ignores it. */
  statementTimeoutMs?: number
  /**
   * The executor's connections already have what the search needs (its statement timeout and,
   * for RUM, RUM_SESSION_SETTINGS; DatabaseHandle.sessionWith): it runs without a transaction
   * setting them, and a page of a form it has met before runs the statement built for that form
   * (by RUM distance, a named statement prepared once per connection; see rumRankedPage).
   */
  sessionHasSettings?: boolean
}

/** What one run of an offer must be for the offer to match a search. */
export interface RunFilter {
  /** Open for application on this day (YYYY-MM-DD). */
  openOn?: string
  startsFrom?: string
  startsUntil?: string
  mode?: string
  hasPlaces?: boolean
  /** Open to students of this institution, a member of these alliances. */
  openTo?: { schac: string; alliances: string[] }
}

/**
 * An EXISTS over the offer's runs: correlated on offer_id, whose indexes lead every lookup
 * (offer_runs_offer_start_idx, and the unique key), so each candidate offer costs a probe of
 * its own few runs whatever the number of runs in all.
 */
function runCondition(filter: RunFilter): SQL {
  const conditions: SQL[] = [sql`${offerRuns.offerId} = ${offers.id}`]
  if (filter.openOn !== undefined) {
    conditions.push(sql`${offerRuns.applicationOpens} <= ${filter.openOn}`, sql`${offerRuns.applicationCloses} >= ${filter.openOn}`)
  }
  if (filter.startsFrom !== undefined) conditions.push(gte(offerRuns.startDate, filter.startsFrom))
  if (filter.startsUntil !== undefined) conditions.push(lte(offerRuns.startDate, filter.startsUntil))
  if (filter.mode !== undefined) conditions.push(eq(offerRuns.mode, filter.mode))
  if (filter.hasPlaces) conditions.push(sql`${offerRuns.placesAvailable} > 0`)
  if (filter.openTo !== undefined) {
    const { schac, alliances } = filter.openTo
    const audiences = [
      sql`${offerRuns.openTo} = 'anyone'`,
      sql`(${offerRuns.openTo} = 'institutions' and ${offerRuns.openToInstitutions} @> array[${schac}]::text[])`,
    ]
    if (alliances.length > 0) {
      audiences.push(sql`(${offerRuns.openTo} = 'alliance_students' and ${offers.alliances} && ${sql.param(alliances, offers.alliances)})`)
    }
    conditions.push(sql`(${sql.join(audiences, sql` or `)})`)
  }
  return sql`exists (select 1 from ${offerRuns} where ${and(...conditions)})`
}

function derivedColumns(state: PreparedContent, surroundings: SurroundingFields) {
  const { searchTitles, searchBody, ...columns } = state.indexed
  return {
    ...columns,
    ...surroundings,
    content: state.content,
    contentHash: state.contentHash,
    compliance: state.compliance,
    search: searchDocument(sql`${searchTitles}`, sql`${searchBody}`),
  }
}

/** The search document: folded titles weigh more than descriptions and outcomes. */
function searchDocument(titles: SQL, body: SQL): SQL {
  return sql`setweight(to_tsvector('simple', ${titles}), 'A') || setweight(to_tsvector('simple', ${body}), 'B')`
}

/** Rows per set-based insert: one jsonb parameter each, a few megabytes at most. */
const RECORDSET_CHUNK = 1000

/** The columns a sync's set-based insert takes from each new offer. */
const OFFER_INSERT_KEYS = [
  'externalId',
  'status',
  'publishedAt',
  'content',
  'contentHash',
  'compliance',
  'ects',
  'eqfLevel',
  'languages',
  'iscedPaths',
  'participation',
  'qaType',
  'stackable',
  'startDate',
  'issuerCountries',
  'alliances',
  'sortTitle',
] as const satisfies ReadonlyArray<keyof OfferRow>

// Every indexed field is a column the set-based insert fills: adding one without listing it fails to compile.
type UnlistedIndexedField = Exclude<keyof IndexedFields | keyof SurroundingFields, 'searchTitles' | 'searchBody' | (typeof OFFER_INSERT_KEYS)[number]>
const everyIndexedFieldListed: [UnlistedIndexedField] extends [never] ? true : never = true
void everyIndexedFieldListed

const VERSION_INSERT_KEYS = ['offerId', 'version', 'content', 'contentHash', 'compliance', 'publishedAt'] as const

/** A new offer as a sync's summary and change feed need it. */
export type InsertedOffer = Pick<OfferRow, 'id' | 'externalId' | 'institutionSchac' | 'status' | 'version' | 'publishedAt'>

const SEARCH_QUERY = (q: unknown) => sql`websearch_to_tsquery('simple', ${q})`

/**
 * How a search by relevance ranks its matches. `rum`: the RUM index on the published offers'
 * search documents (offer_search_ranking, migrations 0020 and 0023, where the database has the extension)
 * returns matches already in order of `search <=> query` (the inverse of a ts_rank with the
 * title weight, A, above the body's, B). It still computes and sorts the distance of every
 * match, but from the positions it stores, without reading the table; offers are read for the
 * page's rows (and a deeper page's before them, and those filters drop). The copy the index is
 * on is kept by the search indexer a moment after each write (search-indexer.ts); an offer is
 * listed only while it matches and is published now, so a match the copy does not have yet is
 * missing for that moment, and one whose text changed is ranked by its previous text.
 * `ts_rank_cd`: the GIN index finds every match, and each is ranked before the best are known.
 */
export type SearchRanking = 'rum' | 'ts_rank_cd'
export const RUM_INDEX = 'offer_search_ranking_rum_idx'
/**
 * The RUM index's columns (migration 0023; the README gives operators the same): the search
 * document, which it orders by, and the filter columns whose values each select a small part of
 * the catalogue (an institution, an alliance, a country), which narrow a search inside the
 * index. The other filters' few values are each shared by a large part of the catalogue: inside
 * the index they would cost a walk through that part on every search (on the benchmark's million
 * offers, with a level and a language inside, searches that cost 0.3–4 ms cost 20–100 ms), so they
 * drop matches on the copy's row (see rumPage).
 */
export const RUM_INDEX_COLUMNS = 'search rum_tsvector_ops, institution_schac rum_text_ops, alliances rum_anyarray_ops, issuer_countries rum_anyarray_ops'

/** What the database offers for ranking: the index, and the extension it needs. */
export interface RankingSupport {
  /** The RUM index exists and is valid (a failed CREATE INDEX CONCURRENTLY leaves an invalid one). */
  index: boolean
  /**
   * The index's columns and operator classes, written as RUM_INDEX_COLUMNS writes them (one
   * built by hand from an older README may lack the filter columns); undefined without one.
   */
  columns?: string
  /** The extension is created in this database, or only installed on the server, or neither. */
  extension: 'created' | 'available' | 'absent'
}

/** The columns the filters of a search compare that the ranking copy keeps too. */
type FilterColumns = Record<
  'institutionSchac' | 'alliances' | 'issuerCountries' | 'eqfLevel' | 'ects' | 'iscedPaths' | 'languages' | 'participation' | 'qaType' | 'stackable' | 'startDate',
  AnyPgColumn
>

/** The filters of a search on the columns the ranking copy keeps (each a placeholder's name in a prepared page). */
const COPIED_FILTERS = ['institution', 'alliance', 'country', 'eqfLevel', 'ectsMin', 'ectsMax', 'iscedField', 'language', 'participation', 'qaType', 'stackable', 'startsAfter'] as const

/**
 * How a value enters a statement: as a parameter of its own (`bound`), or as a named placeholder
 * (`placeholder`) of a statement prepared once and executed with values by name.
 */
type Bind = <T>(name: string, value: T) => T | Placeholder
const bound: Bind = (_name, value) => value
const placeholder: Bind = (name) => sql.placeholder(name)

/** The conditions of a search's filters on the columns the ranking copy keeps, on offers or on the copy. */
function copiedFilterConditions(filter: OfferSearchFilter, table: FilterColumns, bind: Bind = bound): SQL[] {
  const conditions: SQL[] = []
  if (filter.institution !== undefined) conditions.push(eq(table.institutionSchac, bind('institution', filter.institution)))
  if (filter.alliance !== undefined) conditions.push(sql`${table.alliances} @> array[${bind('alliance', filter.alliance)}]::text[]`)
  if (filter.country !== undefined) conditions.push(sql`${table.issuerCountries} @> array[${bind('country', filter.country)}]::text[]`)
  if (filter.eqfLevel !== undefined) conditions.push(eq(table.eqfLevel, bind('eqfLevel', filter.eqfLevel)))
  if (filter.ectsMin !== undefined) conditions.push(gte(table.ects, bind('ectsMin', filter.ectsMin)))
  if (filter.ectsMax !== undefined) conditions.push(lte(table.ects, bind('ectsMax', filter.ectsMax)))
  if (filter.iscedField !== undefined) conditions.push(sql`${table.iscedPaths} @> array[${bind('iscedField', filter.iscedField)}]::text[]`)
  if (filter.language !== undefined) conditions.push(sql`${table.languages} @> array[${bind('language', filter.language)}]::text[]`)
  if (filter.participation !== undefined) conditions.push(sql`${table.participation} @> array[${bind('participation', filter.participation)}]::text[]`)
  if (filter.qaType !== undefined) conditions.push(eq(table.qaType, bind('qaType', filter.qaType)))
  if (filter.stackable !== undefined) conditions.push(eq(table.stackable, bind('stackable', filter.stackable)))
  if (filter.startsAfter !== undefined) conditions.push(gte(table.startDate, bind('startsAfter', filter.startsAfter)))
  return conditions
}

/**
 * Sort key expression per order. Cursors carry the key as PostgreSQL's own text form and
 * compare after casting it back, so no precision is lost (microseconds, float ranks).
 */
function sortKey(filter: OfferSearchFilter, bind: Bind): { key: SQL; type: string; descending: boolean } {
  switch (filter.sort) {
    case 'relevance':
      // With ts_rank_cd (a page by RUM distance is rumPage's).
      return { key: sql`ts_rank_cd(${offers.search}, ${SEARCH_QUERY(bind('q', filter.q ?? ''))})::float8`, type: 'float8', descending: true }
    case 'updatedAt':
    case '-updatedAt':
      return { key: sql`${offers.updatedAt}`, type: 'timestamptz', descending: filter.sort === '-updatedAt' }
    case 'ects':
    case '-ects':
      return { key: sql`${offers.ects}`, type: 'numeric', descending: filter.sort === '-ects' }
    case 'title':
    case '-title':
      return { key: sql`${offers.sortTitle}`, type: 'text', descending: filter.sort === '-title' }
    case 'createdAt':
      return { key: sql`${offers.createdAt}`, type: 'timestamptz', descending: false }
  }
}

/** A page in keyset order: the sort key, then the id. */
function keysetPage(db: Executor, filter: OfferSearchFilter, bind: Bind) {
  const { key, type, descending } = sortKey(filter, bind)
  const keyset = offerConditions(filter, bind)
  if (filter.after !== undefined) {
    const [afterKey, afterId] = filter.after
    const typedKey = sql`cast(${bind('afterKey', String(afterKey))} as ${sql.raw(type)})`
    keyset.push(
      or(
        descending ? sql`${key} < ${typedKey}` : sql`${key} > ${typedKey}`,
        and(sql`${key} = ${typedKey}`, gt(offers.id, bind('afterId', String(afterId)))),
      )!,
    )
  }
  return db
    .select({ ...offerViewColumns, sortValue: sql<string>`(${key})::text` })
    .from(offers)
    .where(and(...keyset))
    .orderBy(descending ? desc(key) : asc(key), asc(offers.id))
    .limit(bind('limit', filter.limit + 1))
}

type KeysetPageStatement = ReturnType<ReturnType<typeof keysetPage>['prepare']>
/** The forms of keyset page an executor has built, by form; at most MAX_PAGE_FORMS each (others are built for each search). */
const keysetStatements = new WeakMap<Executor, Map<string, KeysetPageStatement>>()

/** Fields of a search that never change its statement's text, only the values it is sent with. */
const VALUE_ONLY: ReadonlySet<string> = new Set(['sort', 'ranking', 'after', 'limit', 'statementTimeoutMs', 'sessionHasSettings'])

/**
 * The form of a page, which decides its statement's text: its order, whether it resumes from a
 * cursor, and which other fields it has. Every field not known to be VALUE_ONLY counts by its
 * presence, so a field added later makes forms of its own rather than reusing another form's
 * statement. Undefined for run filters, whose conditions are built for each search.
 */
function pageForm(filter: OfferSearchFilter): string | undefined {
  if (filter.run !== undefined) return undefined
  const present = Object.entries(filter)
    .filter(([name, value]) => value !== undefined && !VALUE_ONLY.has(name))
    .map(([name]) => name)
    .sort()
  return [filter.sort, filter.ranking ?? 'ts_rank_cd', filter.after === undefined ? 'first' : 'resumed', ...present].join(',')
}

/**
 * The executor's statement of a form, built the first time the form is met; undefined for no
 * form, or once the executor keeps MAX_PAGE_FORMS (the page is then built for the search).
 */
function formStatement<S>(cache: WeakMap<Executor, Map<string, S>>, db: Executor, form: string | undefined, build: () => S): S | undefined {
  if (form === undefined) return undefined
  const forms = cache.get(db) ?? cache.set(db, new Map()).get(db)!
  let statement = forms.get(form)
  if (statement === undefined && forms.size < MAX_PAGE_FORMS) {
    statement = build()
    forms.set(form, statement)
  }
  return statement
}

/** A statement's values by placeholder name (see Bind). */
function placeholderValues(filter: OfferSearchFilter, values: Record<string, unknown>): Record<string, unknown> {
  const updatedSince = filter.updatedSince === undefined ? undefined : new Date(filter.updatedSince).toISOString()
  return { ...Object.fromEntries(COPIED_FILTERS.map((name) => [name, filter[name]])), q: filter.q ?? '', updatedSince, ...values }
}

/**
 * A keyset page. On the pool or a search session (not in a transaction made for one search), the
 * statement of its form is built once, with placeholders, and sent unnamed with the search's
 * values, so that PostgreSQL plans it for those values (a filter's selectivity decides which
 * index serves it best); see rumRankedPage for what building it costs.
 */
async function keysetSearch(db: Executor, filter: OfferSearchFilter, reusable: boolean): Promise<SearchHit[]> {
  const form = reusable ? pageForm(filter) : undefined
  const statement = formStatement(keysetStatements, db, form, () => keysetPage(db, filter, placeholder).prepare(''))
  const values = { afterKey: String(filter.after?.[0]), afterId: String(filter.after?.[1]), limit: filter.limit + 1 }
  const rows = statement ? await statement.execute(placeholderValues(filter, values)) : await keysetPage(db, filter, bound)
  return rows.map(({ sortValue, ...row }) => ({ row, position: [sortValue, row.id] }))
}

/** A search result and where a cursor after it resumes: [sort key, id] or, by RUM distance, [distance, tie index]. */
export type SearchHit = { row: OfferView; position: [string, string | number] }

/**
 * The order of equal distances is the RUM index's own: a sequential or bitmap scan sorted by
 * the executor would order them otherwise (and differently for another LIMIT). On a small
 * table, or for a rare word, the planner would choose one; these settings (on connections of
 * the search's own, or for the search's transaction only) leave it the index, which costs as
 * little for a rare word but more than a filter's index when filters the index does not hold
 * (level, language …) drop most matches (README, Performance: 3c). And distances as text
 * exact (the shortest form that reads back the same; a role or pooler may have set
 * extra_float_digits to 0, which rounds).
 */
export const RUM_SETTINGS = { enable_seqscan: 'off', enable_bitmapscan: 'off', enable_sort: 'off', extra_float_digits: '1', jit: 'off' } as const
/**
 * RUM_SETTINGS for connections that run RUM-ranked pages only (the service's ranked search
 * sessions), whose pages are named statements planned once per connection and form of search:
 * a plan the settings already fix (the index's order, each match read by its key) needs no
 * planning for each word. On the benchmark's data, "energy" at 100,000 offers: 0.5–0.9 ms of
 * planning on every execution, 0.02 ms with the generic plan, the same plan executing alike.
 * Pages built for each search (run filters, forms past MAX_PAGE_FORMS) get a generic plan too,
 * built at each execution. A prepared statement whose result type a migration changed fails
 * once per connection (0A000) and the pool discards that connection: deploy migrations that
 * change `offers`' columns with a restart, as any release.
 */
export const RUM_SESSION_SETTINGS = { ...RUM_SETTINGS, plan_cache_mode: 'force_generic_plan' } as const

/** The name of a prepared RUM page: one per statement text (the forms of search are finitely many). */
const rumStatementName = (text: string) => `rum_page_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`

/** RUM_SETTINGS for the transaction under way. */
const RUM_PLAN = sql.join(
  Object.entries(RUM_SETTINGS).map(([name, value]) => sql`set_config(${name}, ${value}, true)`),
  sql`, `,
)

/** Where a page starts and how many rows it reads (`from`: the distance a cursor resumes from). */
interface RumPageBounds {
  from: string | undefined
  shown: number
  candidates: number
  wanted: number
}

/** The conditions a search's offers meet: published, matching the text, passing every filter. */
function offerConditions(filter: OfferSearchFilter, bind: Bind = bound, query: SQL | undefined = undefined): SQL[] {
  const conditions: SQL[] = [eq(offers.status, 'published')]
  if (filter.q !== undefined) conditions.push(sql`${offers.search} @@ ${query ?? SEARCH_QUERY(bind('q', filter.q))}`)
  conditions.push(...copiedFilterConditions(filter, offers, bind))
  // Bound, the column's encoder sends the Date as toISOString(); a placeholder's value skips the
  // encoder, so placeholderValues sends the same text (to the millisecond, in UTC).
  if (filter.updatedSince !== undefined) conditions.push(gte(offers.updatedAt, bind('updatedSince', new Date(filter.updatedSince))))
  if (filter.run !== undefined) conditions.push(runCondition(filter.run))
  return conditions
}

/**
 * A page by RUM distance. The index returns every match in order of distance, but an ORDER BY
 * that adds a tie-break (the id) is one it cannot serve, and matches of equal relevance are
 * common (one occurrence of the word in a title ranks alike everywhere). Its order of equal
 * distances is that of its own sort of the matches, the same at every execution while the
 * matches are the same. So a cursor holds the last distance shown and how many offers of that
 * distance have been shown: the next page reads from that distance on, in the index's order,
 * and skips those (see RUM_PLAN).
 *
 * One statement, so one snapshot: the index is asked for ids and distances only (`ranked`, in
 * its order); each is numbered in that order (`row_number() over ()` numbers rows as they
 * come), given its place among those of its distance (equal distances are consecutive), those
 * the cursor has shown are skipped, and only the page's offers are read.
 */
function rumPage(db: Executor, filter: OfferSearchFilter, bind: Bind, bounds: RumPageBounds) {
  // Computed once per execution (an InitPlan): in a generic plan, the query as an expression of
  // a parameter is computed again for every candidate, in the distance read back and in the
  // check against the offer (a page 1,000 candidates deep: 19.5–21.9 ms as an expression,
  // 13.5–14.8 ms computed once, on the benchmark's data). The index orders by it all the same.
  const query = sql`(select ${SEARCH_QUERY(bind('q', filter.q ?? ''))})`
  const distance = sql`${offerSearchRanking.search} <=> ${query}`
  const from = bounds.from === undefined ? undefined : bind('from', bounds.from)
  const matches = [sql`${offerSearchRanking.search} @@ ${query}`, ...copiedFilterConditions(filter, offerSearchRanking, bind)]
  if (from !== undefined) matches.push(sql`${distance} >= cast(${from} as float4)`)
  // The index applies the filters on its own columns (RUM_INDEX_COLUMNS: the matches it sorts
  // are those that pass); the others drop matches on the copy's row, which the index scan reads
  // anyway. Each match left is checked against its offer as it is now (the filters again, the
  // search and the status), read by its key: a lateral subquery with a LIMIT is one the planner
  // cannot turn into a join that would read the offers another way.
  const current = db
    .select({ id: offers.id })
    .from(offers)
    .where(and(eq(offers.id, offerSearchRanking.offerId), ...offerConditions(filter, bind, query)))
    .limit(1)
    .as('current')
  // float4 text is exact: equal distances have equal text.
  const ranked = db
    .select({ id: current.id, distance: sql<string>`(${distance})::text`.as('distance') })
    .from(offerSearchRanking)
    .innerJoinLateral(current, sql`true`)
    .where(and(...matches))
    .orderBy(distance)
    .limit(bind('candidates', bounds.candidates))
    .as('ranked')
  const numbered = db.select({ id: ranked.id, distance: ranked.distance, n: sql<number>`row_number() over ()`.as('n') }).from(ranked).as('numbered')
  const placed = db
    .select({
      id: numbered.id,
      distance: numbered.distance,
      n: numbered.n,
      place: sql<number>`${numbered.n} - min(${numbered.n}) over (partition by ${numbered.distance})`.mapWith(Number).as('place'),
    })
    .from(numbered)
    .as('placed')
  return db
    .select({ ...offerViewColumns, distance: placed.distance, place: placed.place })
    .from(placed)
    .innerJoin(offers, eq(offers.id, placed.id))
    .where(from === undefined ? undefined : sql`not (${placed.distance} = ${from} and ${placed.place} < ${bind('shown', bounds.shown)})`)
    .orderBy(placed.n)
    .limit(bind('wanted', bounds.wanted))
}

type RumPageStatement = ReturnType<ReturnType<typeof rumPage>['prepare']>
/** The forms of RUM page an executor prepared, by form; at most MAX_PAGE_FORMS each (others are built for each search). */
const rumStatements = new WeakMap<Executor, Map<string, RumPageStatement>>()
/** How many forms of page (see pageForm) an executor keeps built, of each kind. */
const MAX_PAGE_FORMS = 64

/**
 * A page of RUM distance (see rumPage), in one statement. On connections of the ranked search
 * sessions (RUM_SESSION_SETTINGS), the statement of the page's form (pageForm) is built once,
 * with placeholders, and prepared once per connection under a name of its text, then executed
 * with the search's values: building a statement of this size for every search cost the
 * service about as much CPU as the rest of the page.
 */
async function rumRankedPage(db: Executor, filter: OfferSearchFilter, wanted: number, reusable: boolean): Promise<SearchHit[]> {
  const { after } = filter
  const shown = after === undefined ? 0 : Number(after[1])
  const bounds: RumPageBounds = { from: after === undefined ? undefined : String(after[0]), shown, candidates: wanted + shown, wanted }
  const form = reusable && filter.sessionHasSettings ? pageForm(filter) : undefined
  const statement = formStatement(rumStatements, db, form, () => {
    const page = rumPage(db, filter, placeholder, bounds)
    return page.prepare(rumStatementName(page.toSQL().sql))
  })
  const rows = statement ? await statement.execute(placeholderValues(filter, { ...bounds })) : await rumPage(db, filter, bound, bounds)
  return rows.map(({ distance: hit, place, ...row }) => ({ row, position: [hit, place + 1] as [string, number] }))
}

function prepareOfferById(db: Executor) {
  return db.select(offerViewColumns).from(offers).where(eq(offers.id, sql.placeholder('id'))).limit(1).prepare('offer_by_id')
}
const byIdStatements = new WeakMap<Executor, ReturnType<typeof prepareOfferById>>()

export const catalogueRepository = {
  async rankingSupport(db: Executor): Promise<RankingSupport> {
    const [row] = rowsOf<{ index: boolean; columns: string | null; created: boolean; available: boolean }>(
      await db.execute(sql`
        select exists (select 1 from pg_index where indexrelid = to_regclass(${RUM_INDEX}::text) and indisvalid)
                 -- and its distance operator is found (an extension outside the search path is not)
                 and to_regoperator('<=>(tsvector,tsquery)') is not null as "index",
               (select string_agg(a.attname || ' ' || o.opcname, ', ' order by k.n)
                from pg_index i
                cross join lateral unnest(i.indkey::int2[], i.indclass::oid[]) with ordinality as k(attnum, opclass, n)
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                join pg_opclass o on o.oid = k.opclass
                where i.indexrelid = to_regclass(${RUM_INDEX}::text)) as "columns",
               exists (select 1 from pg_extension where extname = 'rum') as "created",
               exists (select 1 from pg_available_extensions where name = 'rum') as "available"`),
    )
    return {
      index: row!.index,
      ...(row!.index && row!.columns !== null ? { columns: row!.columns } : {}),
      extension: row!.created ? 'created' : row!.available ? 'available' : 'absent',
    }
  },

  async findByExternalId(db: Executor, schac: string, externalId: string, lock = false): Promise<OfferRow | undefined> {
    const query = db
      .select(offerColumns)
      .from(offers)
      .where(and(eq(offers.institutionSchac, schac), eq(offers.externalId, externalId)))
      .limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  /** How many offers an institution has, withdrawn ones included. */
  async countOfInstitution(db: Executor, schac: string): Promise<number> {
    const [row] = await db.select({ n: count() }).from(offers).where(eq(offers.institutionSchac, schac))
    return row?.n ?? 0
  },

  /** One page of the published offers of an institution or of an alliance, in id order after `after` (an export). */
  async publishedPage(db: Executor, scope: ExportScope, after: string | undefined, limit: number): Promise<OfferView[]> {
    const conditions: SQL[] = [eq(offers.status, 'published')]
    if ('institution' in scope) conditions.push(eq(offers.institutionSchac, scope.institution))
    else conditions.push(sql`${offers.alliances} @> array[${scope.alliance}]::text[]`)
    if (after !== undefined) conditions.push(gt(offers.id, after))
    return db.select(offerViewColumns).from(offers).where(and(...conditions)).orderBy(asc(offers.id)).limit(limit)
  },

  /** `limit` published offers of the whole catalogue in id order, skipping `offset` (OOAPI's page numbers). */
  async publishedAtOffset(db: Executor, offset: number, limit: number): Promise<OfferView[]> {
    return db.select(offerViewColumns).from(offers).where(eq(offers.status, 'published')).orderBy(asc(offers.id)).limit(limit).offset(offset)
  },

  /** The hottest read: a statement prepared once per database handle (and per connection). */
  async findById(db: Executor, id: string): Promise<OfferView | undefined> {
    let statement = byIdStatements.get(db)
    if (!statement) {
      statement = prepareOfferById(db)
      byIdStatements.set(db, statement)
    }
    const [row] = await statement.execute({ id })
    return row
  },

  /** Just what visibility and version checks need, for many offers at once (no content). */
  async findStatesByIds(db: Executor, ids: string[]): Promise<OfferStatusRow[]> {
    if (ids.length === 0) return []
    return db
      .select({
        id: offers.id,
        institutionSchac: offers.institutionSchac,
        status: offers.status,
        publishedAt: offers.publishedAt,
        version: offers.version,
      })
      .from(offers)
      .where(isAnyOf(offers.id, ids, 'uuid'))
  },

  /** The latest version of an offer that has been published. */
  async latestPublishedVersion(db: Executor, offerId: string): Promise<OfferVersionRow | undefined> {
    const [row] = await db
      .select()
      .from(offerVersions)
      .where(and(eq(offerVersions.offerId, offerId), isNotNull(offerVersions.publishedAt)))
      .orderBy(desc(offerVersions.version))
      .limit(1)
    return row
  },

  /** The subset of the given ids that are offers. */
  async existingIds(db: Executor, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const rows = await db.select({ id: offers.id }).from(offers).where(inArray(offers.id, ids))
    return new Set(rows.map((row) => row.id))
  },

  /**
   * The institution's offers, locked for the rest of the transaction: what a sync compares
   * against. Only what the comparison needs, not the content.
   */
  async lockInstitutionOffers(db: Executor, schac: string): Promise<SyncedOffer[]> {
    return db
      .select({
        id: offers.id,
        externalId: offers.externalId,
        status: offers.status,
        version: offers.version,
        contentHash: offers.contentHash,
        publishedAt: offers.publishedAt,
      })
      .from(offers)
      .where(eq(offers.institutionSchac, schac))
      .for('update')
  },

  /**
   * The alliances the content of these offers still holds, by id, for those written before
   * the alliances left the content (see isSameContent). Asked only for offers whose content
   * hash differs from a write's, so an unchanged re-sync reads no content.
   */
  async storedAlliances(db: Executor, ids: string[]): Promise<Map<string, string[]>> {
    if (ids.length === 0) return new Map()
    const rows = await db
      .select({ id: offers.id, alliances: sql<string[]>`${offers.content}->'alliances'` })
      .from(offers)
      .where(and(isAnyOf(offers.id, ids, 'uuid'), sql`${offers.content} ? 'alliances'`))
    return new Map(rows.map((row) => [row.id, row.alliances]))
  },

  /**
   * Inserts many new offers at once (a sync's creations), each with its first version, returning
   * what the feed and summary need. One statement per chunk writes both (the content is sent
   * and parsed once), and the chunks are pipelined: each is sent as soon as it is built, and the
   * next is built while the database writes it (statements on one connection run in order: a
   * transaction's, hence its type; on a pool, the chunks could run on several connections at
   * once). Once a chunk has failed, no further chunk is built: the transaction is lost.
   */
  async insertMany(
    db: Transaction,
    institution: string,
    items: Array<{ externalId: string; status: OfferStatus; publishedAt: Date | null; state: PreparedContent; surroundings: SurroundingFields }>,
    now: Date,
  ): Promise<InsertedOffer[]> {
    // Each settles at once into its outcome: one that failed while the next chunk was being
    // built must not count as an unhandled rejection.
    const statements: Array<Promise<{ rows: unknown } | { error: unknown }>> = []
    let failed = false
    for (let start = 0; start < items.length; start += RECORDSET_CHUNK) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve))
      // A chunk that failed while the last one was built, or during this wait, ends the loop.
      if (failed) break
      const rows = items.slice(start, start + RECORDSET_CHUNK).map((item) => {
        const { searchTitles, searchBody, ...indexed } = item.state.indexed
        return {
          ...indexed,
          ...item.surroundings,
          externalId: item.externalId,
          status: item.status,
          publishedAt: item.publishedAt,
          content: item.state.content,
          contentHash: item.state.contentHash,
          compliance: item.state.compliance,
          searchTitles,
          searchBody,
        }
      })
      const input = recordset(offers, OFFER_INSERT_KEYS, rows, { searchTitles: 'text', searchBody: 'text' })
      // The recordset is read twice (both inserts), so the CTE holds it once; `r` names its rows.
      statements.push(
        db.execute(sql`
          with input as (select * from ${input.from}),
          inserted as (
            insert into ${offers} (${columnList(offers, [...OFFER_INSERT_KEYS, 'institutionSchac', 'version', 'revision', 'createdAt', 'updatedAt', 'search'])})
            select ${sql.join(OFFER_INSERT_KEYS.map(input.columns), sql`, `)}, ${institution}, 1, 1, ${now}, ${now},
              ${searchDocument(input.columns('searchTitles'), input.columns('searchBody'))}
            from input r
            returning ${offers.id}, ${offers.externalId}
          ),
          versions as (
            insert into ${offerVersions} (${columnList(offerVersions, [...VERSION_INSERT_KEYS, 'createdAt'])})
            select inserted.id, 1, ${sql.join((['content', 'contentHash', 'compliance', 'publishedAt'] as const).map(input.columns), sql`, `)}, ${now}
            from inserted join input r on ${input.columns('externalId')} = inserted.external_id
          )
          select inserted.id, inserted.external_id from inserted`).then(
          (rows) => ({ rows }),
          (error: unknown) => {
            failed = true
            return { error }
          },
        ),
      )
    }
    const ids = new Map<string, string>()
    // In order: the first failure is the cause (the transaction refuses every statement after it).
    for (const outcome of await Promise.all(statements)) {
      if ('error' in outcome) throw outcome.error
      for (const row of rowsOf<{ id: string; external_id: string }>(outcome.rows)) ids.set(row.external_id, row.id)
    }
    return items.map((item) => ({
      id: ids.get(item.externalId)!,
      externalId: item.externalId,
      institutionSchac: institution,
      status: item.status,
      version: 1,
      publishedAt: item.publishedAt,
    }))
  },

  async insertVersions(
    db: Executor,
    items: Array<{ offerId: string; version: number; publishedAt: Date | null; state: PreparedContent }>,
    now: Date,
  ): Promise<void> {
    for (let start = 0; start < items.length; start += RECORDSET_CHUNK) {
      const rows = items.slice(start, start + RECORDSET_CHUNK).map((item) => ({
        offerId: item.offerId,
        version: item.version,
        content: item.state.content,
        contentHash: item.state.contentHash,
        compliance: item.state.compliance,
        publishedAt: item.publishedAt,
      }))
      const input = recordset(offerVersions, VERSION_INSERT_KEYS, rows)
      await db.execute(sql`
        insert into ${offerVersions} (${columnList(offerVersions, [...VERSION_INSERT_KEYS, 'createdAt'])})
        select ${sql.join(VERSION_INSERT_KEYS.map(input.columns), sql`, `)}, ${now}
        from ${input.from}`)
    }
  },

  /** Inserts a new offer unless its external id is taken (then undefined). */
  async insert(
    db: Executor,
    values: { institution: string; externalId: string; status: OfferStatus; publishedAt: Date | null; now: Date },
    state: PreparedContent,
    surroundings: SurroundingFields,
  ): Promise<OfferRow | undefined> {
    const [row] = await db
      .insert(offers)
      .values({
        institutionSchac: values.institution,
        externalId: values.externalId,
        status: values.status,
        version: 1,
        revision: 1,
        createdAt: values.now,
        updatedAt: values.now,
        publishedAt: values.publishedAt,
        ...derivedColumns(state, surroundings),
      })
      .onConflictDoNothing({ target: [offers.institutionSchac, offers.externalId] })
      .returning(offerColumns)
    return row
  },

  async update(
    db: Executor,
    id: string,
    values: { status: OfferStatus; version: number; publishedAt: Date | null; withdrawnAt: Date | null; now: Date },
    written: { state: PreparedContent; surroundings: SurroundingFields } | undefined,
  ): Promise<OfferRow> {
    const [row] = await db
      .update(offers)
      .set({
        status: values.status,
        version: values.version,
        revision: sql`${offers.revision} + 1`,
        publishedAt: values.publishedAt,
        withdrawnAt: values.withdrawnAt,
        updatedAt: values.now,
        ...(written ? derivedColumns(written.state, written.surroundings) : {}),
      })
      .where(eq(offers.id, id))
      .returning(offerColumns)
    return row!
  },

  async insertVersion(
    db: Executor,
    values: { offerId: string; version: number; publishedAt: Date | null; now: Date },
    state: PreparedContent,
  ): Promise<void> {
    await this.insertVersions(db, [{ ...values, state }], values.now)
  },

  /** Records that a version has been published (the first time only). */
  async markVersionPublished(db: Executor, offerId: string, version: number, at: Date): Promise<void> {
    await db
      .update(offerVersions)
      .set({ publishedAt: at })
      .where(
        and(eq(offerVersions.offerId, offerId), eq(offerVersions.version, version), sql`${offerVersions.publishedAt} is null`),
      )
  },

  /** An offer as a response shows it (after a write, in the write's transaction). */
  async viewById(db: Executor, id: string): Promise<OfferView | undefined> {
    const [row] = await db.select(offerViewColumns).from(offers).where(eq(offers.id, id)).limit(1)
    return row
  },

  async viewByExternalId(db: Executor, schac: string, externalId: string): Promise<OfferView | undefined> {
    const [row] = await db
      .select(offerViewColumns)
      .from(offers)
      .where(and(eq(offers.institutionSchac, schac), eq(offers.externalId, externalId)))
      .limit(1)
    return row
  },

  /** The offer, locked for the rest of the transaction. */
  async findByIdForUpdate(db: Executor, id: string): Promise<OfferRow | undefined> {
    const [row] = await db.select(offerColumns).from(offers).where(eq(offers.id, id)).limit(1).for('update')
    return row
  },

  /**
   * Gives the institution's offers its alliances of now, where they differ: what they show
   * changes (revision, updatedAt), not their content (no new version).
   */
  async setAlliances(db: Executor, schac: string, alliances: string[], now: Date): Promise<OfferRow[]> {
    return db
      .update(offers)
      .set({ alliances, revision: sql`${offers.revision} + 1`, updatedAt: now })
      .where(and(eq(offers.institutionSchac, schac), sql`${offers.alliances} is distinct from ${sql.param(alliances, offers.alliances)}`))
      .returning(offerColumns)
  },

  /** Records the issuer countries an offer is listed under after an answer (no new version). */
  async setIssuerCountries(db: Executor, id: string, issuerCountries: string[], now: Date): Promise<OfferRow> {
    const [row] = await db
      .update(offers)
      .set({ issuerCountries, revision: sql`${offers.revision} + 1`, updatedAt: now })
      .where(eq(offers.id, id))
      .returning(offerColumns)
    return row!
  },

  async findVersion(db: Executor, offerId: string, version: number): Promise<OfferVersionRow | undefined> {
    const [row] = await db
      .select()
      .from(offerVersions)
      .where(and(eq(offerVersions.offerId, offerId), eq(offerVersions.version, version)))
      .limit(1)
    return row
  },

  /** The contents of the given versions of offers, in one query whatever their number. */
  async versionContents(db: Executor, wanted: ReadonlyArray<{ offerId: string; version: number }>): Promise<Array<Pick<OfferVersionRow, 'offerId' | 'version' | 'content'>>> {
    if (wanted.length === 0) return []
    const pairs = recordset(offerVersions, ['offerId', 'version'], wanted)
    return db
      .select({ offerId: offerVersions.offerId, version: offerVersions.version, content: offerVersions.content })
      .from(offerVersions)
      .where(sql`(${offerVersions.offerId}, ${offerVersions.version}) in (select ${pairs.columns('offerId')}, ${pairs.columns('version')} from ${pairs.from})`)
  },

  /** When each published version of an offer was published, in version order. */
  async publicationDates(db: Executor, offerId: string): Promise<Array<{ version: number; publishedAt: Date }>> {
    const rows = await db
      .select({ version: offerVersions.version, publishedAt: offerVersions.publishedAt })
      .from(offerVersions)
      .where(and(eq(offerVersions.offerId, offerId), isNotNull(offerVersions.publishedAt)))
      .orderBy(asc(offerVersions.version))
    return rows.map((row) => ({ version: row.version, publishedAt: row.publishedAt! }))
  },

  /** Versions in ascending order after `afterVersion`; one more than the limit. */
  async listVersions(
    db: Executor,
    offerId: string,
    options: { publishedOnly: boolean; afterVersion?: number; limit: number },
  ): Promise<OfferVersionRow[]> {
    const conditions: SQL[] = [eq(offerVersions.offerId, offerId)]
    if (options.publishedOnly) conditions.push(isNotNull(offerVersions.publishedAt))
    if (options.afterVersion !== undefined) conditions.push(gt(offerVersions.version, options.afterVersion))
    return db
      .select()
      .from(offerVersions)
      .where(and(...conditions))
      .orderBy(asc(offerVersions.version))
      .limit(options.limit + 1)
  },

  /**
   * Published offers matching every filter, in keyset order: the sort key, then the id (by
   * RUM distance: see rumRankedPage). Returns each row with its cursor position; one more row
   * than the limit.
   */
  async search(db: Executor, filter: OfferSearchFilter): Promise<SearchHit[]> {
    const byRum = filter.sort === 'relevance' && filter.ranking === 'rum'
    const { statementTimeoutMs } = filter
    const floatKey = filter.sort === 'relevance'
    const query = (executor: Executor, reusable: boolean) => (byRum ? rumRankedPage(executor, filter, filter.limit + 1, reusable) : keysetSearch(executor, filter, reusable))
    if (filter.sessionHasSettings || (statementTimeoutMs === undefined && !floatKey)) return query(db, true)
    // Settings for this transaction only, in one statement. A rank as text must be exact for the
    // cursor to find it again (see RUM_PLAN): a rounded one made a walk repeat its page forever.
    const settings = [
      ...(statementTimeoutMs !== undefined ? [sql`set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`] : []),
      ...(byRum ? [RUM_PLAN] : floatKey ? [sql`set_config('extra_float_digits', '1', true)`] : []),
    ]
    return db.transaction(async (tx) => {
      await tx.execute(sql`select ${sql.join(settings, sql`, `)}`)
      return query(tx, false)
    })
  },
}
