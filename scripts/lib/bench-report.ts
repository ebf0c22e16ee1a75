import type { LoadResult } from './bench-load.js'
import type { WebhookBenchResult, WebhookPhase } from './bench-webhooks.js'

/** Everything one benchmark run measured; written as bench.json. */
export interface BenchReport {
  date: string
  machine: string
  server: string
  offers: number
  smallOffers: number
  connections: number
  durationSeconds: number
  warmUpSeconds: number
  datasets: Array<{ name: string; offers: number; reused: boolean; seedSeconds: number }>
  /** Scenario 1 and its limit, measured alternately (limit, service, limit, service …). */
  scenario1Rounds: Array<{ limit: LoadResult; service: LoadResult }>
  limit: LoadResult
  scenarios: LoadResult[]
  smallScale: LoadResult[]
  serviceToLimitRatio: number
  p50GrowthFullOverSmall: { filters: number; fullText: number; fullTextByDate: number }
  sync: SyncResult[]
  peakRssMb: { service: number; serviceBeforeSync: number; serviceSmall: number; bareLimit: number }
  /** 8. webhooks (absent in reports of older runs). */
  webhooks?: WebhookBenchResult
  targets: TargetCheck[]
  totalSeconds: number
}

export interface SyncResult {
  scenario: string
  offers: number
  ms: number
  offersPerSecond: number
  summary: { created: number; updated: number; unchanged: number }
  /** The service's peak RSS so far, right after this sync. */
  serverPeakRssMb: number
}

export interface TargetCheck {
  target: string
  measured: string
  met: boolean
  /** How far from the target, in the target's own terms. */
  margin: string
}

function atMostCheck(checks: TargetCheck[], target: string, value: number, limit: number, unit: string): void {
  checks.push({
    target,
    measured: `${value} ${unit}`,
    met: value <= limit,
    margin: value <= limit ? `${Math.round((1 - value / limit) * 100)} % under` : `${Math.round((value / limit - 1) * 100)} % over (×${(value / limit).toFixed(2)})`,
  })
}

function atLeastCheck(checks: TargetCheck[], target: string, value: number, limit: number, unit: string): void {
  checks.push({
    target,
    measured: `${value} ${unit}`,
    met: value >= limit,
    margin: value >= limit ? `${Math.round((value / limit - 1) * 100)} % above` : `${Math.round((1 - value / limit) * 100)} % short`,
  })
}

/** Issue 16: at least 1,000 deliveries/s, and p99 commit→delivery ≤ 1 s at that rate; nothing lost. */
export function checkWebhookTargets(result: WebhookBenchResult): TargetCheck[] {
  const checks: TargetCheck[] = []
  atLeastCheck(checks, '8. webhooks ≥ 1,000 deliveries/s (burst)', result.burst.deliveriesPerSecond, 1000, 'deliveries/s')
  atMostCheck(checks, `8. webhooks p99 commit→delivery ≤ 1 s at ${result.paced.targetPerSecond.toLocaleString('en')}/s`, result.paced.p99, 1000, 'ms')
  const lost = result.burst.expected - result.burst.delivered + (result.paced.expected - result.paced.delivered)
  checks.push({ target: '8. webhooks: every delivery arrived', measured: `${lost} missing`, met: lost === 0, margin: '' })
  return checks
}

const byPrefix = (list: LoadResult[], prefix: string) => list.find((r) => r.scenario.startsWith(prefix))

export function checkTargets(report: Omit<BenchReport, 'targets' | 'totalSeconds'>): TargetCheck[] {
  const checks: TargetCheck[] = []
  const atMost = (target: string, value: number, limit: number, unit: string) => atMostCheck(checks, target, value, limit, unit)
  const atLeast = (target: string, value: number, limit: number, unit: string) => atLeastCheck(checks, target, value, limit, unit)

  atLeast('1. service ≥ 80 % of the bare limit', Math.round(report.serviceToLimitRatio * 100), 80, '%')
  for (const prefix of ['1.', '2.', '3.', '4.']) {
    const result = byPrefix(report.scenarios, prefix)
    if (result) atMost(`${prefix} p99 ≤ 50 ms`, result.p99, 50, 'ms')
  }
  const status = byPrefix(report.scenarios, '5.')
  if (status) atMost('5. p99 ≤ 150 ms', status.p99, 150, 'ms')
  const failures = [...report.scenarios, ...report.smallScale].reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0)
  checks.push({ target: 'no errors (all scenarios)', measured: String(failures), met: failures === 0, margin: failures === 0 ? '' : `${failures} failed requests` })
  if (report.smallScale.length > 0) {
    atMost(`2. p50 at ${report.offers.toLocaleString('en')} ≤ 2× at ${report.smallOffers.toLocaleString('en')}`, report.p50GrowthFullOverSmall.filters, 2, '×')
    atMost(`3. p50 at ${report.offers.toLocaleString('en')} ≤ 2× at ${report.smallOffers.toLocaleString('en')}`, report.p50GrowthFullOverSmall.fullText, 2, '×')
  }
  const created = report.sync.find((s) => s.scenario.includes('all new'))
  const unchanged = report.sync.find((s) => s.scenario.includes('none changed'))
  if (created) atLeast('7. sync ≥ 2,000 new offers/s', created.offersPerSecond, 2000, 'offers/s')
  if (unchanged) atLeast('7. re-sync ≥ 10,000 unchanged offers/s', unchanged.offersPerSecond, 10_000, 'offers/s')
  atMost('server RSS ≤ 300 MB', Math.max(report.peakRssMb.service, report.peakRssMb.serviceSmall), 300, 'MB')
  if (report.webhooks) checks.push(...checkWebhookTargets(report.webhooks))
  return checks
}

export function markdown(report: BenchReport): string {
  const row = (r: LoadResult) =>
    `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.errors + r.timeouts + r.non2xx} | ${r.serverRssMb} |`
  const n = (value: number) => value.toLocaleString('en')
  return [
    `Benchmark of ${report.date.slice(0, 16).replace('T', ' ')} UTC — machine: ${report.machine}.`,
    `Service: ${report.server}; ${n(report.offers)} offers; ${report.connections} connections; ${report.durationSeconds} s per scenario after ${report.warmUpSeconds} s of warm-up.`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors | server RSS MB after |',
    '|---|---:|---:|---:|---:|---:|',
    ...report.scenarios.map(row),
    ...report.smallScale.map(row),
    row(report.limit),
    '',
    `Scenario 1 at **${Math.round(report.serviceToLimitRatio * 100)} %** of the bare-Fastify limit (${report.scenario1Rounds.length} alternating rounds each). ` +
      (report.smallScale.length > 0
        ? `p50 growth ${n(report.smallOffers)} → ${n(report.offers)} offers: filters ×${report.p50GrowthFullOverSmall.filters}, full text ×${report.p50GrowthFullOverSmall.fullText} (by relevance), ×${report.p50GrowthFullOverSmall.fullTextByDate} (sort=createdAt).`
        : ''),
    '',
    '| 7. sync | offers | ms | offers/s | server peak RSS MB |',
    '|---|---:|---:|---:|---:|',
    ...report.sync.map((s) => `| ${s.scenario} | ${n(s.offers)} | ${s.ms} | ${n(s.offersPerSecond)} | ${s.serverPeakRssMb} |`),
    '',
    `Peak server RSS: ${report.peakRssMb.service} MB (${n(report.offers)} offers; ${report.peakRssMb.serviceBeforeSync} MB before the sync), ${report.peakRssMb.serviceSmall} MB (${n(report.smallOffers)}); bare limit server ${report.peakRssMb.bareLimit} MB. Whole run: ${report.totalSeconds} s.`,
    '',
    ...(report.webhooks ? [webhookTable(report.webhooks), ''] : []),
    targetTable(report.targets),
  ].join('\n')
}

function targetTable(targets: TargetCheck[]): string {
  return [
    '| target | measured | met | margin |',
    '|---|---:|:-:|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} | ${t.margin} |`),
  ].join('\n')
}

function webhookTable(result: WebhookBenchResult): string {
  const row = (name: string, phase: WebhookPhase) =>
    `| ${name} | ${phase.changes} | ${phase.delivered} / ${phase.expected} | ${phase.duplicates} | ${phase.deliveriesPerSecond} | ${phase.p50} | ${phase.p99} | ${phase.max} | ${phase.loadAverage.join(' ')} |`
  return [
    `| 8. webhooks, ${result.subscriptions} subscriptions (concurrency ${result.concurrency}) | changes | delivered | twice | deliveries/s | p50 ms | p99 ms | max ms | load average after |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    row('burst (one sync)', result.burst),
    row(`paced (${result.paced.targetPerSecond.toLocaleString('en')} deliveries/s due)`, result.paced),
  ].join('\n')
}

/** The report of `npm run bench -- --only webhooks`. */
export function webhookMarkdown(report: { date: string; machine: string; server: string; webhooks: WebhookBenchResult; targets: TargetCheck[] }): string {
  return [
    `Webhook benchmark of ${report.date.slice(0, 16).replace('T', ' ')} UTC — machine: ${report.machine}. Service: ${report.server}.`,
    'Commit→delivery: from the feed entry\'s time (inside the committing transaction) to the arrival at the receiver.',
    '',
    webhookTable(report.webhooks),
    '',
    targetTable(report.targets),
  ].join('\n')
}
