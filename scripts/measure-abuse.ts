// Measures what abusive searches cost everyone else (issue 12): GET /v1/offers/{id} at a steady
// load on PostgreSQL, alone and while 12 loops send searches of one kind, each loop at most one
// search every --pace ms (5000: 144 a minute in all, inside the anonymous rate limit, as in the
// issue; 0: back to back, as fast as they are answered). Bounded: every phase runs --duration
// seconds; all traffic goes to the service on 127.0.0.1.
//
//   npm run measure:abuse -- [--offers 25000] [--duration 15] [--loops 12] [--pace 5000] [--root <checkout>]
//
// The data set is the benchmark's, in its own database (passerelle_bench_abuse, seeded once and
// reused). --root runs dist/server.js of another checkout (built there), e.g. the code before a
// change, against the same data.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { measure, type LoadResult } from './lib/bench-load.js'
import { startProcess, stopAll, type BenchProcess } from './lib/bench-process.js'
import { BENCH_SCHAC_PATTERN, prepareDataset } from './lib/bench-seed.js'

const { values } = parseArgs({
  options: {
    offers: { type: 'string', default: '25000' },
    duration: { type: 'string', default: '15' },
    loops: { type: 'string', default: '12' },
    connections: { type: 'string', default: '4' },
    pace: { type: 'string', default: '5000' },
    root: { type: 'string' },
  },
})
const ROOT = path.resolve(values.root ?? path.join(import.meta.dirname, '..'))
const DURATION = Number(values.duration)
const LOOPS = Number(values.loops)
const PACE_MS = Number(values.pace)
const log = (line: string) => process.stderr.write(`${line}\n`)

/** The searches of the issue, and the costliest ones the bounds still accept. */
const ABUSES: Array<{ name: string; q: string }> = [
  { name: 'only negations', q: '-zzz -yyy -xxx' },
  { name: '10-word phrase', q: '"data literacy for researchers in the public sector data literacy for"' },
  { name: 'one very common word, ranked (accepted)', q: 'the' },
  { name: 'two common words, ranked (accepted)', q: 'in for' },
]

const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/passerelle_bench_abuse')
if (!decodeURIComponent(url.pathname).startsWith('/passerelle_bench')) throw new Error('DATABASE_URL must name a passerelle_bench* database')
await prepareDataset(url, Number(values.offers), log)

const client = new pg.Client({ connectionString: url.toString() })
await client.connect()
const ids = (
  await client.query(`select id from offers where institution_schac like $1 and status = 'published' order by random() limit 2000`, [BENCH_SCHAC_PATTERN])
).rows.map((row) => row.id as string)
await client.end()

log(`building ${ROOT}`)
execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' })
const { REDIS_URL: _redis, ...inherited } = process.env
const service: BenchProcess = await startProcess({
  name: 'service',
  cwd: ROOT,
  args: ['dist/server.js'],
  env: {
    ...(inherited as Record<string, string>),
    NODE_ENV: 'production',
    DATABASE_URL: url.toString(),
    CURSOR_SECRET: 'measure-abuse-cursor-secret-0123456789abcdef',
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
    SEED_DEMO: 'false',
    DB_POOL_MAX: '10',
    // One address sends everything here; the limits would otherwise answer 429 to both sides.
    RATE_LIMIT_ANONYMOUS_MAX: '10000000',
    RATE_LIMIT_MAX: '10000000',
  },
  readyPath: '/health/ready',
})

/** LOOPS clients sending the same search back to back until the deadline; counts answers by status. */
async function abuse(q: string, until: number): Promise<{ statuses: Record<string, number>; slowestMs: number }> {
  const statuses: Record<string, number> = {}
  let slowestMs = 0
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      // Loops start spread over one pace interval, as independent clients would.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * PACE_MS))
      while (Date.now() < until) {
        const begun = performance.now()
        const status = await fetch(`${service.url}/v1/offers?q=${encodeURIComponent(q)}`, { signal: AbortSignal.timeout(30_000) }).then(
          async (response) => {
            await response.arrayBuffer()
            return String(response.status)
          },
          () => 'error',
        )
        const took = performance.now() - begun
        slowestMs = Math.max(slowestMs, took)
        statuses[status] = (statuses[status] ?? 0) + 1
        if (took < PACE_MS) await new Promise((resolve) => setTimeout(resolve, PACE_MS - took))
      }
    }),
  )
  return { statuses, slowestMs: Math.round(slowestMs) }
}

const byId = { path: () => `/v1/offers/${ids[Math.floor(Math.random() * ids.length)]}` }
const load = { connections: Number(values.connections), durationSeconds: DURATION, warmUpSeconds: 2 }
const rows: string[] = []
const row = (phase: string, result: LoadResult, searches?: { statuses: Record<string, number>; slowestMs: number }) =>
  rows.push(
    `| ${phase} | ${result.requestsPerSecond} | ${result.p50} | ${result.p99} | ${result.max} | ${JSON.stringify(result.statusCodes)} | ` +
      `${searches ? `${JSON.stringify(searches.statuses)}, slowest ${searches.slowestMs} ms` : '—'} |`,
  )

try {
  log('by-id alone')
  row('by id, alone', await measure('by id', service, byId, load))
  for (const { name, q } of ABUSES) {
    log(`by-id while ${LOOPS} loops search: ${name}`)
    const until = Date.now() + (DURATION + 3) * 1000
    const searching = abuse(q, until)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const result = await measure('by id', service, byId, { ...load, warmUpSeconds: 0 })
    row(`by id, ${LOOPS} loops of ${name} (\`q=${q}\`)`, result, await searching)
  }
} finally {
  await service.stop()
  await stopAll()
}

process.stdout.write(
  [
    `${Number(values.offers).toLocaleString('en')} offers, ${LOOPS} search loops (pace ${PACE_MS} ms), by-id at ${values.connections} connections, ${DURATION} s per phase, ${ROOT}`,
    '',
    '| phase | by-id req/s | p50 ms | p99 ms | max ms | by-id statuses | search answers |',
    '|---|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
  ].join('\n'),
)
