// Sync client for universities: sends a JSON or CSV export of offers to Passerelle in one
// all-or-nothing request, with a progress line, and prints the server's summary.
//   npm run sync -- --institution <schac> --key <key> --file offers.json|offers.csv
//                   [--mode upsert|replace] [--dry-run] [--url http://127.0.0.1:3000] [--json]
//   npm run sync -- --from-ooapi <OOAPI v5 base URL> --institution <schac> [--dry-run] [--url …]
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { findUnstorableStrings } from '../src/lib/storable-text.js'
import { exitQuietlyOnClosedPipe, parseCommandLine, warnOfKeyOnCommandLine } from './lib/cli.js'
import { csvCellOf, parseOffersCsv } from './lib/offers-csv.js'
import { parseRunsCsv, runCsvColumnOf } from './lib/runs-csv.js'
import { importFromOoapi } from './lib/ooapi-sync.js'

const USAGE = `Usage: PASSERELLE_KEY=<key> npm run sync -- --institution <schac> --file <offers.json|offers.csv>
                    [--runs-file <runs.csv>] [--mode upsert|replace] [--dry-run] [--url <base URL>] [--json]
       PASSERELLE_KEY=<key> npm run sync -- --institution <schac> --from-ooapi <OOAPI v5 base URL> [--dry-run] [--url <base URL>]

  --from-ooapi     import the courses (and their offerings) of a university's OOAPI v5 endpoint: each is
                   reported, then sent as a dry run, then (unless --dry-run) for real, all or nothing

  --mode replace   also withdraw your published offers that are not in the file (default: upsert)
  --runs-file      a CSV of runs, one a row keyed by externalId and runId: each offer of the file
                   gets its rows as its whole set of runs (columns: scripts/lib/runs-csv.ts)
  --dry-run        report what would happen, write nothing
  --url            the Passerelle server (default: $PASSERELLE_URL or http://127.0.0.1:3000)
  --key            the API key, if not in $PASSERELLE_KEY (npm and your shell history show it)
  See scripts/examples/ for both file formats.`

const { values } = parseCommandLine({
  options: {
    institution: { type: 'string' },
    key: { type: 'string' },
    file: { type: 'string' },
    'runs-file': { type: 'string' },
    'from-ooapi': { type: 'string' },
    mode: { type: 'string', default: 'upsert' },
    'dry-run': { type: 'boolean', default: false },
    url: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
}, 'sync')
exitQuietlyOnClosedPipe()

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

interface Offers {
  offers: unknown[]
  /** Where offer i is in the file. */
  placeOf: (index: number) => string
  /** Where a failing field of offer i is: its CSV cell, or its JSON Pointer. */
  fieldOf: (index: number, pointer: string) => string
}

function readOffers(file: string): Offers {
  const text = readFileSync(file, 'utf8')
  if (file.toLowerCase().endsWith('.csv')) {
    const { offers, places, problems } = parseOffersCsv(text)
    if (problems.length > 0) {
      const lines = problems.map((p) => `  row ${p.row}${p.line === p.row ? '' : ` (line ${p.line})`}, column ${p.column}: ${p.detail}`)
      fail(`${problems.length} bad cell${problems.length === 1 ? '' : 's'} in ${file}; nothing was sent:\n${lines.join('\n')}`, 1)
    }
    const rowOf = (index: number) => places[index]?.row ?? index + 2
    return {
      offers,
      placeOf: (index) => `row ${rowOf(index)}`,
      fieldOf: (index, pointer) => {
        const cell = csvCellOf(pointer.replace(/^\/offers\/\d+/, ''))
        if (!cell) return `row ${rowOf(index)}, ${pointer}`
        return `row ${rowOf(index)}, column ${cell.column}${cell.item === undefined ? '' : ` (item ${cell.item})`}`
      },
    }
  }
  const parsed: unknown = JSON.parse(text)
  const offers = Array.isArray(parsed) ? parsed : (parsed as { offers?: unknown }).offers
  if (!Array.isArray(offers)) fail(`${file}: expected an array of offers, or { "offers": [...] }`)
  return { offers, placeOf: (index) => `item ${index}`, fieldOf: (_index, pointer) => pointer }
}

interface Response {
  status: number
  body: string
}

/** POSTs the body in chunks, reporting upload progress on stderr. */
function post(url: URL, body: Buffer, headers: Record<string, string>, progress: boolean): Promise<Response> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    const chunkSize = 256 * 1024
    let sent = 0
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
    const writeNext = () => {
      while (sent < body.length) {
        const chunk = body.subarray(sent, sent + chunkSize)
        sent += chunk.length
        if (progress) process.stderr.write(`\ruploading ${mb(sent)} / ${mb(body.length)} MB (${Math.round((sent / body.length) * 100)}%)`)
        if (!request.write(chunk)) {
          request.once('drain', writeNext)
          return
        }
      }
      if (progress) process.stderr.write('\nthe server is checking and applying the offers…\n')
      request.end()
    }
    writeNext()
  })
}

async function main(): Promise<number> {
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  warnOfKeyOnCommandLine(values.key !== undefined)
  const key = values.key ?? process.env.PASSERELLE_KEY
  if (values['from-ooapi'] !== undefined) return fromOoapi(values['from-ooapi'], key)
  if (!values.institution || !key || !values.file) fail(`--institution, --file and a key (PASSERELLE_KEY or --key) are required\n\n${USAGE}`)
  if (values.mode !== 'upsert' && values.mode !== 'replace') fail('--mode is upsert or replace')

  const { offers, placeOf, fieldOf: offerFieldOf } = readOffers(values.file)
  const runsFile = values['runs-file']
  /** The runs file's row of run j of offer i. */
  let runRowOf: (index: number, position: number) => number | undefined = () => undefined
  if (runsFile !== undefined) {
    const externalIds = offers.map((offer) => (offer as { externalId?: unknown }).externalId)
    const { runsOf, problems } = parseRunsCsv(readFileSync(runsFile, 'utf8'), new Set(externalIds.filter((id): id is string => typeof id === 'string')))
    if (problems.length > 0) {
      const lines = problems.map((p) => `  row ${p.row}, column ${p.column}: ${p.detail}`)
      fail(`${problems.length} bad cell${problems.length === 1 ? '' : 's'} in ${runsFile}; nothing was sent:\n${lines.join('\n')}`, 1)
    }
    offers.forEach((offer, index) => {
      ;(offer as { runs?: unknown[] }).runs = (runsOf.get(externalIds[index] as string) ?? []).map((entry) => entry.run)
    })
    runRowOf = (index, position) => runsOf.get(externalIds[index] as string)?.[position]?.row
  }
  const fieldOf = (index: number, pointer: string): string => {
    const inRun = /^(?:\/offers\/\d+)?\/runs\/(\d+)(.*)$/.exec(pointer)
    const row = inRun ? runRowOf(index, Number(inRun[1])) : undefined
    if (!inRun || row === undefined) return offerFieldOf(index, pointer)
    return `${runsFile} row ${row}, column ${runCsvColumnOf(inRun[2]!)}`
  }
  // The server would refuse these too (400); saying where they are in the file helps more.
  const unstorable = findUnstorableStrings(offers)
  if (unstorable.length > 0) {
    const lines = unstorable.map(({ pointer, detail }) => {
      const [, index, field] = /^\/(\d+)(.*)$/.exec(pointer)!
      const externalId = (offers[Number(index)] as { externalId?: unknown } | undefined)?.externalId
      return `  ${fieldOf(Number(index), field!)}${typeof externalId === 'string' ? ` (offer ${externalId})` : ''}: ${detail}`
    })
    fail(`${values.file} has text that cannot be stored; nothing was sent:\n${lines.join('\n')}`)
  }
  const body = Buffer.from(JSON.stringify({ mode: values.mode, offers }))
  const large = offers.length >= 500
  process.stderr.write(`read ${offers.length} offers from ${values.file}\n`)

  const base = values.url ?? process.env.PASSERELLE_URL ?? 'http://127.0.0.1:3000'
  const url = new URL(`/v1/institutions/${encodeURIComponent(values.institution)}/offers/sync`, base)
  if (values['dry-run']) url.searchParams.set('dryRun', 'true')
  // One key for this run: a retry after a network failure is applied at most once.
  const headers = { authorization: `Bearer ${key}`, 'idempotency-key': `sync-${randomUUID()}` }

  let response: Response | undefined
  for (let attempt = 1; attempt <= 3 && response === undefined; attempt++) {
    try {
      response = await post(url, body, headers, large)
      if (response.status === 409 && attempt < 3) {
        process.stderr.write('the server is still busy with this or another sync; retrying in 5 s\n')
        response = undefined
        await new Promise((resolve) => setTimeout(resolve, 5000))
      }
    } catch (error) {
      if (attempt === 3) fail(`cannot reach ${base}: ${(error as Error).message}`, 1)
      process.stderr.write(`network error (${(error as Error).message}); retrying with the same idempotency key\n`)
    }
  }
  const result = JSON.parse(response!.body) as Record<string, any>
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)

  if (response!.status !== 200) {
    if (!values.json) {
      process.stderr.write(`sync refused (${response!.status} ${result.code}): ${result.detail}\n`)
      for (const invalid of result.invalidOffers ?? []) {
        process.stderr.write(`  offer ${invalid.externalId ?? '?'} (${placeOf(invalid.index)}): ${invalid.code}\n`)
        for (const error of invalid.errors) process.stderr.write(`    ${fieldOf(invalid.index, error.pointer)}: ${error.detail}\n`)
      }
      if (!result.invalidOffers) for (const error of result.errors ?? []) process.stderr.write(`  ${error.pointer}: ${error.detail}\n`)
    }
    return 1
  }
  if (!values.json) {
    const prefix = result.dryRun ? 'dry run, nothing written: would have' : 'done:'
    process.stdout.write(
      `${prefix} created ${result.created.length}, updated ${result.updated.length}, ` +
        `unchanged ${result.unchanged.length}, withdrawn ${result.withdrawn.length}\n`,
    )
    if (runsFile !== undefined) {
      const runs = result.runs as Record<string, number>
      process.stdout.write(`  runs: created ${runs.created}, updated ${runs.updated}, unchanged ${runs.unchanged}, deleted ${runs.deleted}\n`)
    }
    for (const kind of ['created', 'updated', 'withdrawn'] as const) {
      for (const item of result[kind]) process.stdout.write(`  ${kind.padEnd(9)} ${item.externalId} ${item.id ?? ''}\n`)
    }
  }
  return 0
}

/** --from-ooapi: the endpoint is read whole and mapped, then sent to our server only. */
async function fromOoapi(endpoint: string, key: string | undefined): Promise<number> {
  if (!values.institution || !key) fail(`--institution and a key (PASSERELLE_KEY or --key) are required\n\n${USAGE}`)
  if (values.file !== undefined || values['runs-file'] !== undefined || values.mode !== 'upsert') fail('--from-ooapi takes neither --file, --runs-file nor --mode (it upserts)')
  if (!/^https?:\/\//.test(endpoint)) fail('--from-ooapi takes the http(s) base URL of an OOAPI v5 endpoint')
  const base = values.url ?? process.env.PASSERELLE_URL ?? 'http://127.0.0.1:3000'
  const headers = { authorization: `Bearer ${key}` }
  const institution = values.institution
  return importFromOoapi({
    reader: { baseUrl: endpoint },
    dryRun: values['dry-run'],
    print: (line) => process.stdout.write(`${line}\n`),
    async submit(body, dryRun) {
      const url = new URL(`/v1/institutions/${encodeURIComponent(institution)}/offers/sync`, base)
      if (dryRun) url.searchParams.set('dryRun', 'true')
      const response = await post(url, Buffer.from(JSON.stringify(body)), { ...headers, 'idempotency-key': `ooapi-${randomUUID()}` }, false)
      return { status: response.status, body: JSON.parse(response.body) }
    },
  })
}

main().then((code) => process.exit(code), (error: unknown) => fail(`sync failed: ${(error as Error).stack}`, 1))
