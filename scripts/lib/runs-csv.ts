import { parse } from 'csv-parse/sync'

/**
 * Turns a CSV of runs (one run per row, `--runs-file`) into the `runs` of a sync's offers.
 * Columns:
 *   externalId, runId                                  (the offer, in the offers file, and the run)
 *   startDate, endDate, applicationOpens, applicationCloses   (YYYY-MM-DD; both application dates or neither)
 *   placesTotal, placesAvailable                       (whole numbers; placesAvailable needs placesTotal)
 *   language, mode, enrolmentUrl
 *   location.city, location.campus, location.country   (left empty for an online run)
 *   fees                  ";"-separated "<amount> <currency> <alliance_students|others|everyone>", e.g. "0 EUR alliance_students; 450 EUR others"
 *   eligibility.openTo    anyone (when empty), alliance_students or institutions
 *   eligibility.institutions   ";"-separated SCHAC codes (with openTo institutions)
 *   languageRequirements  ";"-separated "<language> <CEFR level>", e.g. "en B2; it B1"
 * With a runs file, each offer of the offers file gets the runs of its rows as its whole set of
 * runs (none: its runs are deleted). Empty cells are left out; every bad cell is reported with
 * its row (header row 1) and column, and the server's errors are mapped back to cells.
 */

type Row = Record<string, string>
type Run = Record<string, unknown>

export interface RunsCsvProblem {
  row: number
  column: string
  detail: string
}

export interface ParsedRunsCsv {
  /** The runs of each offer, by externalId, in file order, each with its spreadsheet row. */
  runsOf: Map<string, Array<{ run: Run; row: number }>>
  problems: RunsCsvProblem[]
}

const INTEGER = /^\d+$/
const AMOUNT = /^\d+(\.\d+)?$/
const TEXTS = ['startDate', 'endDate', 'language', 'mode', 'enrolmentUrl']

function rowToRun(row: Row, bad: (column: string, detail: string) => void): Run {
  const cell = (name: string) => row[name]?.trim() ?? ''
  const list = (name: string) => cell(name).split(';').map((item) => item.trim())
  const run: Run = { runId: cell('runId') }
  for (const name of TEXTS) if (cell(name)) run[name] = cell(name)
  if (cell('applicationOpens') || cell('applicationCloses')) {
    if (!cell('applicationOpens') || !cell('applicationCloses')) bad('applicationOpens', 'give both applicationOpens and applicationCloses, or neither')
    else run.application = { opens: cell('applicationOpens'), closes: cell('applicationCloses') }
  }
  if (cell('placesTotal') || cell('placesAvailable')) {
    const places: Record<string, number> = {}
    for (const [column, field] of [['placesTotal', 'total'], ['placesAvailable', 'available']] as const) {
      if (!cell(column)) continue
      if (INTEGER.test(cell(column))) places[field] = Number(cell(column))
      else bad(column, `"${cell(column)}" is not a whole number`)
    }
    if (cell('placesAvailable') && !cell('placesTotal')) bad('placesTotal', 'placesAvailable needs placesTotal')
    run.places = places
  }
  if (cell('location.city') || cell('location.campus') || cell('location.country')) {
    const location: Record<string, string> = {}
    for (const field of ['city', 'campus', 'country']) if (cell(`location.${field}`)) location[field] = cell(`location.${field}`)
    run.location = location
  }
  if (cell('fees')) {
    run.fees = list('fees').map((fee, index) => {
      const [amount, currency, appliesTo, ...rest] = fee.split(/\s+/)
      if (!amount || !AMOUNT.test(amount) || !currency || !appliesTo || rest.length > 0) {
        bad('fees', `item ${index + 1} ("${fee}") is not "<amount> <currency> <alliance_students|others|everyone>"`)
      }
      return { amount: Number(amount), currency, appliesTo }
    })
  }
  const eligibility: Record<string, unknown> = {}
  if (cell('eligibility.openTo')) eligibility.openTo = cell('eligibility.openTo')
  if (cell('eligibility.institutions')) eligibility.institutions = list('eligibility.institutions')
  if (cell('languageRequirements')) {
    eligibility.languageRequirements = list('languageRequirements').map((requirement, index) => {
      const [language, cefr, ...rest] = requirement.split(/\s+/)
      if (!language || !cefr || rest.length > 0) bad('languageRequirements', `item ${index + 1} ("${requirement}") is not "<language> <CEFR level>"`)
      return { language, cefr }
    })
  }
  if (Object.keys(eligibility).length > 0) run.eligibility = { openTo: 'anyone', ...eligibility }
  return run
}

export function parseRunsCsv(text: string, offerIds: ReadonlySet<string>): ParsedRunsCsv {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: false, bom: true, info: true }) as Array<{ record: Row; info: { records: number; empty_lines: number } }>
  const parsed: ParsedRunsCsv = { runsOf: new Map(), problems: [] }
  for (const { record, info } of records) {
    const row = 1 + info.records + info.empty_lines
    const bad = (column: string, detail: string) => parsed.problems.push({ row, column, detail })
    const externalId = record.externalId?.trim() ?? ''
    if (!offerIds.has(externalId)) {
      bad('externalId', externalId === '' ? 'empty: which offer is this run of?' : `no offer ${externalId} in the offers file`)
      continue
    }
    if (!record.runId?.trim()) bad('runId', 'empty')
    const run = rowToRun(record, bad)
    if (!parsed.runsOf.has(externalId)) parsed.runsOf.set(externalId, [])
    parsed.runsOf.get(externalId)!.push({ run, row })
  }
  return parsed
}

/** The runs-file column a JSON Pointer into a run comes from. */
export function runCsvColumnOf(pointer: string): string {
  const [field, second] = pointer.split('/').slice(1)
  switch (field) {
    case 'application':
      return second === 'opens' ? 'applicationOpens' : 'applicationCloses'
    case 'places':
      return second === 'available' ? 'placesAvailable' : 'placesTotal'
    case 'location':
      return second === undefined ? 'location.city' : `location.${second}`
    case 'eligibility':
      return second === 'languageRequirements' ? 'languageRequirements' : second === 'institutions' ? 'eligibility.institutions' : 'eligibility.openTo'
    case undefined:
      return 'runId'
    default:
      return field
  }
}
