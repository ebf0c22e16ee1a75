// Benchmark: seeds a realistic data set into PostgreSQL (reused when present), starts the
// service as its own process with production settings, drives it with autocannon, and
// compares scenario 1 with a bare Fastify route running the same SQL.
//   npm run bench -- [--offers 100000] [--small 10000] [--duration 10] [--connections 20] [--out dir]
// DATABASE_URL names the database of the full data set (default passerelle_bench on the local
// server); the small one is the same name with the size appended. A database is only ever
// dropped and re-seeded when its name starts with passerelle_bench.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import { openDatabase } from '../src/db/client.js'
import { generateKey } from '../src/modules/clients/keys.js'
import { BENCH_DOMAIN, benchOfferCount, seedBench } from './lib/bench-seed.js'
import { syntheticOffer } from './lib/synthetic-offers.js'

const { values } = parseArgs({
  options: {
    offers: { type: 'string', default: '100000' },
    small: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    out: { type: 'string' },
  },
})
const FULL = Number(values.offers)
const SMALL = Number(values.small)
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const POOL = 10
const ROOT = path.resolve(import.meta.dirname, '..')
const log = (line: string) => process.stderr.write(`${line}\n`)

const fullUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/passerelle_bench')
const smallUrl = new URL(fullUrl)
smallUrl.pathname = `${fullUrl.pathname}_${SMALL}`

/** Creates (or recreates at another size) and seeds a bench database; reuses a matching one. */
async function prepare(url: URL, offers: number): Promise<void> {
  const name = url.pathname.slice(1)
  const server = new URL(url)
  server.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: server.toString() })
  await admin.connect()
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1
    if (exists) {
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      const count = await benchOfferCount(client).catch(() => -1)
      await client.end()
      if (count === offers) {
        log(`${name}: reusing ${offers} offers`)
        return
      }
      // Re-seeding drops the database: only ever one made for the benchmark.
      if (!name.startsWith('passerelle_bench')) {
        throw new Error(`${name} does not hold this benchmark's data set; the benchmark only recreates databases named passerelle_bench*`)
      }
      await admin.query(`drop database "${name}" with (force)`)
    }
    await admin.query(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  const database = await openDatabase({ databaseUrl: url.toString() })
  await database.migrate()
  await database.close()
  log(`${name}: seeding ${offers} offers`)
  const client = new pg.Client({ connectionString: url.toString(), statement_timeout: 600_000 })
  await client.connect()
  try {
    await seedBench(client, offers, log)
  } finally {
    await client.end()
  }
}

interface Server {
  child: ChildProcess
  url: string
  peakRssMb: () => number
  stop: () => Promise<void>
}

/** Starts a process and waits for its "listening" line; samples its RSS every 500 ms. */
function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<Server> {
  return new Promise((resolve, reject) => {
    const loader = args[0]!.endsWith('.ts') ? ['--import', 'tsx'] : []
    const child = spawn(process.execPath, [...loader, ...args], { cwd: ROOT, env: { ...process.env, ...env } })
    let output = ''
    let peak = 0
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
        peak = Math.max(peak, kb / 1024)
      } catch {
        // the process is gone
      }
    }, 500)
    const onData = (chunk: Buffer) => {
      output += chunk
      const match = ready.exec(output)
      if (match) {
        child.stdout!.off('data', onData)
        resolve({
          child,
          url: match[1]!,
          peakRssMb: () => peak,
          stop: () =>
            new Promise((done) => {
              clearInterval(sampler)
              child.once('exit', () => done())
              child.kill('SIGTERM')
            }),
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => {
      clearInterval(sampler)
      reject(new Error(`process exited (${code}):\n${output}`))
    })
  })
}

function startService(url: URL): Promise<Server> {
  // Production runs the compiled JavaScript (npm start builds it), not the TypeScript loader.
  return startProcess(
    ['dist/server.js'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: url.toString(),
      CURSOR_SECRET: 'benchmark-cursor-secret-0123456789abcdef',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'false',
      SEED_DEMO: 'false',
      DB_POOL_MAX: String(POOL),
      // The load comes from one address; production limits would throttle the benchmark itself.
      RATE_LIMIT_ANONYMOUS_MAX: '10000000',
      RATE_LIMIT_MAX: '10000000',
    },
    /Passerelle is up at (http:\/\/\S+)/,
  )
}

async function sampleIds(url: URL, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  const result = await client.query(`select id from offers where institution_schac like '%.${BENCH_DOMAIN}' order by random() limit $1`, [count])
  await client.end()
  return result.rows.map((row) => row.id as string)
}

interface ScenarioResult {
  scenario: string
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!

const WARM_UP_SECONDS = 2

async function load(scenario: string, base: string, request: { method?: string; path: () => string; body?: () => string }): Promise<ScenarioResult> {
  log(`  ${scenario}`)
  const options = (duration: number) => ({
    url: base,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: (request.method ?? 'GET') as 'GET',
        headers: request.body ? { 'content-type': 'application/json' } : {},
        setupRequest: (req: autocannon.Request) => ({ ...req, path: request.path(), ...(request.body ? { body: request.body() } : {}) }),
      },
    ],
  })
  // Same load, not recorded: JIT compilation and PostgreSQL's caches warm up first, for the
  // service and the bare limit alike.
  await autocannon(options(WARM_UP_SECONDS))
  const result = await autocannon(options(DURATION))
  return {
    scenario,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

const WORDS = ['data', 'energy', 'health', 'learning', 'law', 'heritage', 'climate', 'software', 'urbanisme', 'donnees', 'droit']

async function readScenarios(base: string, ids: string[], label = ''): Promise<ScenarioResult[]> {
  return [
    await load(`2. GET /v1/offers, 3 filters${label}`, base, {
      path: () => `/v1/offers?ectsMin=${pick([1, 2, 3, 4])}&eqfLevel=${pick([5, 6, 7, 8])}&language=${pick(['en', 'fr', 'de'])}&limit=20`,
    }),
    await load(`3. GET /v1/offers?q= full text${label}`, base, { path: () => `/v1/offers?q=${pick(WORDS)}&limit=20` }),
  ].map((r) => ({ ...r, ids: ids.length }) as ScenarioResult)
}

async function syncScenario(base: string, dbUrl: URL): Promise<Array<{ scenario: string; ms: number; offersPerSecond: number }>> {
  const schac = `sync-${Date.now()}.${BENCH_DOMAIN}`
  const key = generateKey()
  const client = new pg.Client({ connectionString: dbUrl.toString() })
  await client.connect()
  await client.query(`insert into institutions (schac, name, country) values ($1, '{"en":"Sync bench"}', 'BE')`, [schac])
  await client.query(`insert into api_clients (institution_schac, name, scopes, key_prefix, key_hash) values ($1, 'bench', '{catalogue:write}', $2, $3)`, [schac, key.prefix, key.hash])
  await client.end()
  const offers = Array.from({ length: 5000 }, (_, i) => syntheticOffer(i, `SYNC-${i}`))
  const changed = offers.map((offer, i) => (i % 10 === 0 ? { ...offer, title: { en: `Revised ${i}` } } : offer))
  const results = []
  for (const [scenario, body] of [
    ['7a. sync 5,000: all new', offers],
    ['7b. sync 5,000: 10% changed', changed],
    ['7c. sync 5,000: none changed', changed],
  ] as const) {
    const started = performance.now()
    const response = await fetch(`${base}/v1/institutions/${schac}/offers/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'upsert', offers: body }),
    })
    await response.text()
    const ms = performance.now() - started
    if (response.status !== 200) throw new Error(`${scenario}: ${response.status}`)
    results.push({ scenario, ms: Math.round(ms), offersPerSecond: Math.round((5000 / ms) * 1000) })
    log(`  ${scenario}: ${Math.round(ms)} ms`)
  }
  return results
}

async function machine(): Promise<string> {
  const client = new pg.Client({ connectionString: fullUrl.toString() })
  await client.connect()
  const version = (await client.query('show server_version')).rows[0].server_version as string
  await client.end()
  return `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version}`
}

const started = performance.now()
log('building the service (npm run build)')
execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' })
await prepare(fullUrl, FULL)
await prepare(smallUrl, SMALL)
const ids = await sampleIds(fullUrl, 5000)
const smallIds = await sampleIds(smallUrl, 1000)

log(`bare Fastify limit (same SQL, pool ${POOL}, ${CONNECTIONS} connections)`)
const bare = await startProcess(['scripts/lib/bench-bare-server.ts'], { DATABASE_URL: fullUrl.toString(), DB_POOL_MAX: String(POOL), PORT: '0' }, /bare server at (http:\/\/\S+)/)
const limit = await load('limit: bare route, GET by id', bare.url, { path: () => `/offers/${pick(ids)}` })
await bare.stop()

log(`service on ${FULL} offers`)
const service = await startService(fullUrl)
const results: ScenarioResult[] = []
let syncResults: Awaited<ReturnType<typeof syncScenario>> = []
try {
  results.push(await load('1. GET /v1/offers/{id}', service.url, { path: () => `/v1/offers/${pick(ids)}` }))
  results.push(...(await readScenarios(service.url, ids)))
  results.push(await load('4. GET /v1/offers/{id}/recognition', service.url, { path: () => `/v1/offers/${pick(ids)}/recognition` }))
  results.push(
    await load('5. POST /v1/recognitions/status, 100 offers', service.url, {
      method: 'POST',
      path: () => '/v1/recognitions/status',
      body: () => JSON.stringify({ offers: Array.from(new Set(Array.from({ length: 100 }, () => pick(ids)))) }),
    }),
  )
  results.push(await load('6. GET /v1/changes, pages of 500', service.url, { path: () => `/v1/changes?after=${Math.floor(Math.random() * FULL)}&limit=500` }))
  syncResults = await syncScenario(service.url, fullUrl)
} finally {
  await service.stop()
}
const peakRss = service.peakRssMb()

log(`service on ${SMALL} offers`)
const small = await startService(smallUrl)
let smallResults: ScenarioResult[]
try {
  smallResults = await readScenarios(small.url, smallIds, ` (${SMALL})`)
} finally {
  await small.stop()
}

const byName = (list: ScenarioResult[], prefix: string) => list.find((r) => r.scenario.startsWith(prefix))!
const ratio = results[0]!.requestsPerSecond / limit.requestsPerSecond
const growth = {
  filters: byName(results, '2.').p50 / Math.max(byName(smallResults, '2.').p50, 0.001),
  fullText: byName(results, '3.').p50 / Math.max(byName(smallResults, '3.').p50, 0.001),
}
const machineLine = await machine()
const report = {
  date: new Date().toISOString(),
  machine: machineLine,
  offers: FULL,
  small: SMALL,
  connections: CONNECTIONS,
  durationSeconds: DURATION,
  limit,
  scenarios: results,
  smallScale: smallResults,
  serviceToLimitRatio: Math.round(ratio * 100) / 100,
  p50GrowthFullOverSmall: { filters: Math.round(growth.filters * 100) / 100, fullText: Math.round(growth.fullText * 100) / 100 },
  sync: syncResults,
  peakRssMb: Math.round(peakRss),
  totalSeconds: Math.round((performance.now() - started) / 1000),
}

const row = (r: ScenarioResult) => `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.errors + r.non2xx} |`
const markdown = [
  `Benchmark of ${report.date.slice(0, 10)} on ${machineLine}; ${FULL.toLocaleString('en')} offers, ${CONNECTIONS} connections, ${DURATION} s per scenario.`,
  '',
  '| scenario | req/s | p50 ms | p99 ms | errors |',
  '|---|---:|---:|---:|---:|',
  ...results.map(row),
  ...smallResults.map(row),
  row({ ...limit, scenario: 'limit: bare Fastify + pg, same SQL as 1' }),
  '',
  `Scenario 1 at **${Math.round(ratio * 100)} %** of the bare-Fastify limit. p50 growth ${SMALL.toLocaleString('en')} → ${FULL.toLocaleString('en')} offers: filters ×${report.p50GrowthFullOverSmall.filters}, full text ×${report.p50GrowthFullOverSmall.fullText}.`,
  '',
  '| sync of 5,000 offers | ms | offers/s |',
  '|---|---:|---:|',
  ...syncResults.map((s) => `| ${s.scenario.slice(4)} | ${s.ms} | ${s.offersPerSecond} |`),
  '',
  `Peak server RSS: ${report.peakRssMb} MB. Whole run: ${report.totalSeconds} s.`,
].join('\n')

process.stdout.write(`${markdown}\n`)
if (values.out) {
  mkdirSync(values.out, { recursive: true })
  writeFileSync(path.join(values.out, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(path.join(values.out, 'bench.md'), `${markdown}\n`)
  log(`wrote ${values.out}/bench.json and bench.md`)
}
