import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import pg from 'pg'
import { generateKey } from '../../src/modules/clients/index.js'
import type { BenchProcess } from './bench-process.js'
import { createScratchDatabase } from './scratch-database.js'
import { syntheticOffer } from './synthetic-offers.js'

/**
 * The webhook scenario (issue 16): the service, as its own process on a throwaway database,
 * pushes the change feed to a few hundred subscriptions of a receiver on 127.0.0.1 (in the
 * benchmark's process). Two phases:
 *  - burst: one sync commits `burstChanges` changes at once; deliveries per second from that
 *    commit to the last delivery (the dispatcher's throughput);
 *  - paced: one change every `subscriptions / rate` seconds for `pacedSeconds`, so that
 *    `rate` deliveries per second are due; the time from each change (its feed entry's time,
 *    taken inside the committing transaction) to its arrival, p50 and p99.
 */
export interface WebhookBenchOptions {
  server: string
  subscriptions: number
  burstChanges: number
  rate: number
  pacedSeconds: number
  startService(databaseUrl: URL, env: Record<string, string>): Promise<BenchProcess>
  log(line: string): void
}

export interface WebhookPhase {
  changes: number
  expected: number
  delivered: number
  /** Messages received more than once (at least once allows it; normal operation should not). */
  duplicates: number
  seconds: number
  deliveriesPerSecond: number
  p50: number
  p99: number
  max: number
  /** os.loadavg() (1, 5, 15 min) when the phase ended: the machine is shared. */
  loadAverage: number[]
}

export interface WebhookBenchResult {
  subscriptions: number
  concurrency: number
  burst: WebhookPhase
  paced: WebhookPhase & { targetPerSecond: number }
}

interface Arrival {
  key: string
  at: number
  latency: number
}

const SCHAC = 'webhooks.bench.example'
const CONCURRENCY = 128

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

function summarize(arrivals: Arrival[], changes: number, expected: number, from: number): WebhookPhase {
  const latencies = arrivals.map((a) => a.latency).sort((a, b) => a - b)
  const seconds = (Math.max(...arrivals.map((a) => a.at)) - from) / 1000
  const distinct = new Set(arrivals.map((a) => a.key)).size
  return {
    changes,
    expected,
    delivered: distinct,
    duplicates: arrivals.length - distinct,
    seconds: Math.round(seconds * 100) / 100,
    deliveriesPerSecond: Math.round(distinct / seconds),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  }
}

export async function webhookScenario(options: WebhookBenchOptions): Promise<WebhookBenchResult> {
  let arrivals: Arrival[] = []
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const now = Date.now()
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { at: string } }
      arrivals.push({ key: `${request.url} ${String(request.headers['webhook-id'])}`, at: now, latency: now - Date.parse(body.data.at) })
      response.writeHead(204).end()
    })
  })
  receiver.keepAliveTimeout = 30_000
  receiver.listen(0, '127.0.0.1')
  await once(receiver, 'listening')
  const { port } = receiver.address() as AddressInfo

  const scratch = await createScratchDatabase(options.server)
  let service: BenchProcess | undefined
  try {
    service = await options.startService(scratch.url, {
      MIGRATE_ON_START: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    })
    const key = await createClient(scratch.url)
    const call = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${service!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      const text = await response.text()
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`)
    }
    for (let n = 0; n < options.subscriptions; n++) {
      await call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/s/${n}`, events: ['offer.published'] })
    }
    const waitFor = async (expected: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs
      while (new Set(arrivals.map((a) => a.key)).size < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    }

    // Warm-up, unrecorded: one change to every subscription (connections, JIT).
    await call('PUT', `/v1/institutions/${SCHAC}/offers/WARM-UP`, withoutExternalId(syntheticOffer(0)))
    await waitFor(options.subscriptions, 30_000)

    arrivals = []
    const burstExpected = options.subscriptions * options.burstChanges
    options.log(`  webhooks, burst: ${options.burstChanges} changes in one sync × ${options.subscriptions} subscriptions`)
    await call('POST', `/v1/institutions/${SCHAC}/offers/sync`, {
      mode: 'upsert',
      offers: Array.from({ length: options.burstChanges }, (_, n) => syntheticOffer(n, `BURST-${n}`)),
    })
    const burstCommitted = Date.now()
    await waitFor(burstExpected, 120_000)
    const burst = summarize(arrivals, options.burstChanges, burstExpected, burstCommitted)

    arrivals = []
    const intervalMs = (options.subscriptions / options.rate) * 1000
    const changes = Math.max(1, Math.round((options.pacedSeconds * 1000) / intervalMs))
    options.log(`  webhooks, paced: ${changes} changes, one every ${Math.round(intervalMs)} ms (${options.rate} deliveries/s due)`)
    const pacedStarted = Date.now()
    for (let n = 0; n < changes; n++) {
      const wait = pacedStarted + n * intervalMs - Date.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      await call('PUT', `/v1/institutions/${SCHAC}/offers/PACED-${n}`, withoutExternalId(syntheticOffer(n)))
    }
    const pacedExpected = options.subscriptions * changes
    await waitFor(pacedExpected, 120_000)
    const paced = { ...summarize(arrivals, changes, pacedExpected, pacedStarted), targetPerSecond: options.rate }
    return { subscriptions: options.subscriptions, concurrency: CONCURRENCY, burst, paced }
  } finally {
    await service?.stop()
    receiver.closeAllConnections()
    receiver.close()
    await scratch.drop()
  }
}

function withoutExternalId(offer: Record<string, unknown>): Record<string, unknown> {
  const { externalId: _externalId, ...rest } = offer
  return rest
}

/** The institution and an API client allowed to publish offers and manage webhooks; its key. */
async function createClient(url: URL): Promise<string> {
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await client.query(`insert into institutions (schac, name, country) values ($1, '{"en":"Webhook benchmark university"}', 'BE')`, [SCHAC])
    const key = generateKey()
    await client.query(
      `insert into api_clients (institution_schac, name, scopes, key_prefix, key_hash) values ($1, 'webhook benchmark', '{catalogue:write,webhooks:manage}', $2, $3)`,
      [SCHAC, key.prefix, key.hash],
    )
    return key.key
  } finally {
    await client.end()
  }
}
