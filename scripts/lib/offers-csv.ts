import { parse } from 'csv-parse/sync'

/**
 * Turns a CSV export (one offer per row) into the offers of a sync request. Columns:
 *   externalId, status, ects, workloadHours, eqfLevel, qfEheaCycle, supervision,
 *   learningOpportunityType, homepage, startDate, endDate, applicationDeadline, stackability
 *   title.<lang>, description.<lang>, prerequisites.<lang>, gradingScheme.<lang>,
 *   furtherInformation.<lang>, qualityAssurance.description.<lang>   (language maps)
 *   learningOutcomes.<lang>, stackableTowards.<lang>   (several items, separated by "|")
 *   assessments, participation, awardingBodies, issuerCountries, iscedFields, languages
 *     (lists separated by ";"; awardingBodies are SCHAC codes)
 *   qualityAssurance.type, qualityAssurance.agency.name, qualityAssurance.agency.deqarAgencyId,
 *   qualityAssurance.agency.deqarReportId
 *
 * Several items in a cell keep their places: item n of `learningOutcomes.en` and item n of
 * `learningOutcomes.it` are the same outcome, so an item may be left empty in one language
 * (`Outcome A | Outcome B` with ` | Risultato B`: outcome A has no Italian text). An item
 * empty in every language, or an empty item in a ";" list, is a bad cell. Numbers are decimal,
 * written out with a point (`2.5`; not `0x3`, `0b11`, `1e1` or `2,5`). Empty cells are left out.
 * Every bad cell is reported with its row (as a spreadsheet numbers it, header row 1) and
 * column; the server checks the rest and names each failing field (see csvCellOf).
 */
const LANGUAGE_MAPS = ['title', 'description', 'prerequisites', 'gradingScheme', 'furtherInformation']
const LISTS = ['assessments', 'participation', 'awardingBodies', 'issuerCountries', 'iscedFields', 'languages']
const NUMBERS = ['ects', 'workloadHours']
const TEXTS = ['externalId', 'status', 'qfEheaCycle', 'supervision', 'learningOpportunityType', 'homepage', 'startDate', 'endDate', 'applicationDeadline']

type Row = Record<string, string>
type Offer = Record<string, unknown>

/** A cell that cannot be read. `row` is the spreadsheet row; `line` the file line where the row starts. */
export interface CsvProblem {
  row: number
  line: number
  column: string
  detail: string
}

/** Where each offer of the file is. */
export interface CsvPlace {
  row: number
  line: number
}

export interface ParsedCsv {
  offers: Offer[]
  /** The place of each offer, by index. */
  places: CsvPlace[]
  problems: CsvProblem[]
}

const DECIMAL = /^-?\d+(\.\d+)?$/
const INTEGER = /^-?\d+$/

/** One row being read: its cells, and what is wrong with them. */
class RowReader {
  readonly problems: Array<{ column: string; detail: string }> = []

  constructor(private readonly row: Row) {}

  cell(name: string): string {
    return this.row[name]?.trim() ?? ''
  }

  bad(column: string, detail: string): undefined {
    this.problems.push({ column, detail })
    return undefined
  }

  number(column: string, pattern = DECIMAL): number | undefined {
    const text = this.cell(column)
    if (pattern.test(text)) return Number(text)
    if (/^-?\d+,\d+$/.test(text)) return this.bad(column, `"${text}" is not a decimal number: write it with a decimal point`)
    return this.bad(column, `"${text}" is not a decimal ${pattern === INTEGER ? 'integer' : 'number'}`)
  }

  /** A ";" list; an empty item is a mistake (a stray or doubled separator). */
  list(column: string): string[] | undefined {
    const items = this.cell(column).split(';').map((item) => item.trim())
    const empty = items.findIndex((item) => item === '')
    if (empty !== -1) return this.bad(column, `item ${empty + 1} is empty (items are separated by ";")`)
    return items
  }

  /** `prefix.<lang>` columns, as a language map (undefined when all are empty). */
  languageMap(prefix: string): Record<string, string> | undefined {
    const map: Record<string, string> = {}
    for (const [column, value] of Object.entries(this.row)) {
      if (column.startsWith(`${prefix}.`) && value.trim() !== '') map[column.slice(prefix.length + 1)] = value.trim()
    }
    return Object.keys(map).length > 0 ? map : undefined
  }

  /**
   * `prefix.<lang>` columns holding several items each, aligned by place across languages:
   * item n of every language makes item n. Empty items keep their place.
   */
  alignedMaps(prefix: string): Array<Record<string, string>> {
    const items: Array<Record<string, string>> = []
    for (const [language, text] of Object.entries(this.languageMap(prefix) ?? {})) {
      text.split('|').forEach((part, index) => {
        const item = (items[index] ??= {})
        if (part.trim() !== '') item[language] = part.trim()
      })
    }
    const empty = items.findIndex((item) => Object.keys(item).length === 0)
    if (empty !== -1) {
      this.bad(`${prefix}.*`, `item ${empty + 1} is empty in every language (items are separated by "|")`)
      return items.filter((item) => Object.keys(item).length > 0)
    }
    return items
  }
}

export function rowToOffer(row: Row): { offer: Offer; problems: Array<{ column: string; detail: string }> } {
  const reader = new RowReader(row)
  const offer: Offer = {}
  const cell = (name: string) => reader.cell(name)
  for (const name of TEXTS) if (cell(name)) offer[name] = cell(name)
  for (const name of NUMBERS) if (cell(name)) offer[name] = reader.number(name)
  if (cell('eqfLevel')) offer.eqfLevel = cell('eqfLevel') === 'not_applicable' ? 'not_applicable' : reader.number('eqfLevel', INTEGER)
  for (const name of LANGUAGE_MAPS) {
    const map = reader.languageMap(name)
    if (map) offer[name] = map
  }
  const outcomes = reader.alignedMaps('learningOutcomes')
  if (outcomes.length > 0) offer.learningOutcomes = outcomes.map((text) => ({ text }))
  for (const name of LISTS) {
    if (!cell(name)) continue
    const values = reader.list(name)
    if (values === undefined) continue
    if (name === 'assessments') offer.assessments = values.map((type) => ({ type }))
    else if (name === 'awardingBodies') offer.awardingBodies = values.map((schac) => ({ schac }))
    else offer[name] = values
  }
  if (cell('qualityAssurance.type')) {
    const agency: Record<string, string> = {}
    for (const field of ['name', 'deqarAgencyId', 'deqarReportId']) {
      if (cell(`qualityAssurance.agency.${field}`)) agency[field] = cell(`qualityAssurance.agency.${field}`)
    }
    const description = reader.languageMap('qualityAssurance.description')
    offer.qualityAssurance = {
      type: cell('qualityAssurance.type'),
      ...(description ? { description } : {}),
      ...(Object.keys(agency).length > 0 ? { agency } : {}),
    }
  }
  if (cell('stackability')) {
    const towards = reader.alignedMaps('stackableTowards').map((title) => ({ title }))
    offer.stackability = { mode: cell('stackability'), ...(towards.length > 0 ? { towards } : {}) }
  }
  for (const key of Object.keys(offer)) if (offer[key] === undefined) delete offer[key]
  return { offer, problems: reader.problems }
}

interface RecordInfo {
  /** The file line the record ends on. */
  lines: number
  /** Blank lines skipped so far. */
  empty_lines: number
  /** Records read so far, this one included. */
  records: number
}

export function parseOffersCsv(text: string): ParsedCsv {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: false, bom: true, info: true }) as Array<{ record: Row; info: RecordInfo }>
  const parsed: ParsedCsv = { offers: [], places: [], problems: [] }
  let lastLine = 1
  let blankLines = 0
  for (const { record, info } of records) {
    // A spreadsheet shows the header as row 1 and keeps blank rows; a quoted cell may span lines.
    const place = { row: 1 + info.records + info.empty_lines, line: lastLine + 1 + (info.empty_lines - blankLines) }
    lastLine = info.lines
    blankLines = info.empty_lines
    const { offer, problems } = rowToOffer(record)
    parsed.offers.push(offer)
    parsed.places.push(place)
    for (const problem of problems) parsed.problems.push({ ...place, ...problem })
  }
  return parsed
}

/** The CSV cell a JSON Pointer into an offer comes from (the item, counted from 1, for a cell of several). */
export function csvCellOf(pointer: string): { column: string; item?: number } | undefined {
  const tokens = pointer.split('/').slice(1)
  const [field, second, third, fourth] = tokens
  if (field === undefined) return undefined
  if (field === 'qualityAssurance') return { column: ['qualityAssurance', ...tokens.slice(1)].join('.') }
  if (LANGUAGE_MAPS.includes(field)) return { column: second === undefined ? `${field}.*` : `${field}.${second}` }
  if (field === 'learningOutcomes') {
    if (second === undefined) return { column: 'learningOutcomes.*' }
    return { column: third === 'text' && fourth !== undefined ? `learningOutcomes.${fourth}` : 'learningOutcomes.*', item: Number(second) + 1 }
  }
  if (field === 'stackability') {
    if (second !== 'towards' || third === undefined) return { column: 'stackability' }
    const language = tokens[4]
    return { column: fourth === 'title' && language !== undefined ? `stackableTowards.${language}` : 'stackableTowards.*', item: Number(third) + 1 }
  }
  if (LISTS.includes(field) && second !== undefined) return { column: field, item: Number(second) + 1 }
  return { column: field }
}
