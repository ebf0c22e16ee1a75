import autocannon from 'autocannon'
import { cpuPerRequest, cpuSnapshot, type CpuPerRequest } from './bench-cpu.js'

/** One scenario's measurement at fixed concurrency (autocannon, programmatic). */
export interface LoadResult {
  scenario: string
  requestsPerSecond: number
  p50: number
  p90: number
  p99: number
  max: number
  requests: number
  errors: number
  timeouts: number
  non2xx: number
  statusCodes: Record<string, number>
  /** The server's RSS right after the measured run, in MiB. */
  serverRssMb: number
  /** CPU time per request of the service, PostgreSQL and the load generator (Linux). */
  cpu?: CpuPerRequest
}

export interface LoadRequest {
  method?: 'GET' | 'POST'
  /** Called for every request, so each one asks for something else (ids, words, offsets). */
  path: () => string
  body?: () => string
}

export interface LoadOptions {
  connections: number
  durationSeconds: number
  warmUpSeconds: number
}

const round = (value: number) => Math.round(value * 100) / 100

function run(base: string, request: LoadRequest, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: base,
    connections,
    duration,
    // A request that takes 10 s counts as a timeout (an error), not as a late success.
    timeout: 10,
    requests: [
      {
        method: request.method ?? 'GET',
        headers: request.body ? { 'content-type': 'application/json' } : {},
        setupRequest: (req) => ({ ...req, path: request.path(), ...(request.body ? { body: request.body() } : {}) }),
      },
    ],
  })
}

/**
 * Warms the route up with the same load, unrecorded (JIT, PostgreSQL's caches, the pool),
 * then measures it for the configured duration.
 */
export async function measure(
  scenario: string,
  server: { url: string; pid: number; rssMb(): number },
  request: LoadRequest,
  options: LoadOptions,
): Promise<LoadResult> {
  if (options.warmUpSeconds > 0) await run(server.url, request, options.connections, options.warmUpSeconds)
  const before = cpuSnapshot(server.pid)
  const result = await run(server.url, request, options.connections, options.durationSeconds)
  const cpu = cpuPerRequest(before, cpuSnapshot(server.pid), result.requests.total)
  const statusCodes = Object.fromEntries(
    Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(
      ([code, stats]) => [code, stats.count],
    ),
  )
  return {
    scenario,
    requestsPerSecond: Math.round(result.requests.average),
    p50: round(result.latency.p50),
    p90: round(result.latency.p90),
    p99: round(result.latency.p99),
    max: round(result.latency.max),
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    serverRssMb: Math.round(server.rssMb()),
    ...(cpu ? { cpu } : {}),
  }
}
