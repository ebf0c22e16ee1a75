import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import type { Database } from '../../src/db/client.js'
import * as schema from '../../src/db/schema.js'
// The benchmark explains the repositories' own statements, so it reads them directly (see
// eslint.config.js: the benchmark's exception to the module boundaries).
import { catalogueRepository as offers } from '../../src/modules/catalogue/repository.js'
import { changeRepository as feed } from '../../src/modules/changes/repository.js'
import { recognitionRepository as decisions } from '../../src/modules/recognition/repository.js'

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements behind the benchmark's read scenarios, as the
 * service issues them: the service's own repositories run against a drizzle handle whose
 * logger records each statement and its parameters, which are then explained as they are.
 */
export interface ExplainedQuery {
  label: string
  sql: string
  params: unknown[]
  executionMs: number
  plan: string
}

export interface ExplainInput {
  ids: string[]
  /** Filters of scenario 2: a typical and a selective combination. */
  filters: Array<{ ectsMin: number; eqfLevel: number; language: string }>
  /** Texts of scenario 3: a frequent and a rare word. */
  words: string[]
  changesAfter: number
}

export async function explainHotQueries(url: URL, input: ExplainInput): Promise<ExplainedQuery[]> {
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 })
  const captured: Array<{ sql: string; params: unknown[] }> = []
  const db = drizzle(pool, { schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } }) as unknown as Database

  // As the service ranks on this database (README, "Full-text search at scale").
  const ranking = (await offers.rankingSupport(db)).index ? 'rum' : 'ts_rank_cd'
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['1. offer by id', () => offers.findById(db, input.ids[0]!)],
    ...input.filters.map(
      (filter): [string, () => Promise<unknown>] => [
        `2. filters ectsMin=${filter.ectsMin} eqfLevel=${filter.eqfLevel} language=${filter.language}`,
        () => offers.search(db, { ...filter, sort: 'createdAt', limit: 20 }),
      ],
    ),
    ...input.words.map((q): [string, () => Promise<unknown>] => [
      `3. full text q=${q} (${ranking})`,
      () => offers.search(db, { q, sort: 'relevance', ranking, limit: 20 }),
    ]),
    ...input.words.map((q): [string, () => Promise<unknown>] => [
      `3c. full text q=${q} (${ranking}), eqfLevel=7 language=en`,
      () => offers.search(db, { q, eqfLevel: 7, language: 'en', sort: 'relevance', ranking, limit: 20 }),
    ]),
    ...input.words.map((q): [string, () => Promise<unknown>] => [
      `3d. full text q=${q} (${ranking}), alliance=bench-alliance-5`,
      () => offers.search(db, { q, alliance: 'bench-alliance-5', sort: 'relevance', ranking, limit: 20 }),
    ]),
    ['4/5. offer states (100 ids)', () => offers.findStatesByIds(db, input.ids.slice(0, 100))],
    ['4/5. ex-ante decisions in force (100 offers)', () => decisions.exAnteInForce(db, input.ids.slice(0, 100))],
    ['6. change feed page of 500', () => feed.list(db, { after: input.changesAfter, limit: 500, viewer: null, viewerReadsRecognitions: false, viewerWritesRecognitions: false })],
  ]

  const explained: ExplainedQuery[] = []
  const client = await pool.connect()
  try {
    for (const [label, call] of calls) {
      captured.length = 0
      await call()
      for (const query of await explainCaptured(client, captured)) explained.push({ label, ...query })
    }
  } finally {
    client.release()
    await pool.end()
  }
  return explained
}

/**
 * Replays statements as a repository sent them, on one connection: each query is explained
 * (ANALYZE, BUFFERS), everything else (begin, set_config of a search's settings, commit) runs as
 * it is, so that each plan is made under the settings the service's own had.
 */
export async function explainCaptured(client: pg.ClientBase, statements: Array<{ sql: string; params: unknown[] }>): Promise<Omit<ExplainedQuery, 'label'>[]> {
  const explained: Omit<ExplainedQuery, 'label'>[] = []
  for (const { sql, params } of statements) {
    if (!/^\s*select\b/i.test(sql) || /^\s*select set_config\(/i.test(sql)) {
      await client.query(sql, params)
      continue
    }
    const result = await client.query(`explain (analyze, buffers) ${sql}`, params)
    const lines = result.rows.map((row) => row['QUERY PLAN'] as string)
    const execution = /Execution Time: ([\d.]+) ms/.exec(lines.join('\n'))
    explained.push({ sql, params, executionMs: Number(execution?.[1] ?? NaN), plan: lines.join('\n') })
  }
  return explained
}

/** Long lists of ids say nothing in a plan: "{<100 ids>}" instead. */
const compactIds = (text: string) =>
  text.replace(/\{(?:[0-9a-f-]{36},){3,}[0-9a-f-]{36}\}/g, (list) => `{<${list.split(',').length} ids>}`)

export function explainReport(title: string, queries: ExplainedQuery[]): string {
  return [
    `# ${title}`,
    '',
    ...queries.flatMap((query) => [
      `## ${query.label} (${query.executionMs} ms)`,
      '',
      '```sql',
      query.sql.replace(/\$\d+(?:, \$\d+){3,}/g, (list) => `${list.split(', ')[0]}, …, ${list.split(', ').at(-1)}`),
      `-- params: ${JSON.stringify(query.params).slice(0, 300)}`,
      '```',
      '',
      '```',
      compactIds(query.plan),
      '```',
      '',
    ]),
  ].join('\n')
}
