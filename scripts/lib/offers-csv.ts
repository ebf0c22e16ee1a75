import { parse } from 'csv-parse/sync'

/**
 * Turns a CSV export (one offer per row) into the offers of a sync request. Columns:
 *   externalId, status, ects, workloadHours, eqfLevel, qfEheaCycle, supervision,
 *   learningOpportunityType, homepage, startDate, endDate, applicationDeadline, stackability
 *   title.<lang>, description.<lang>, prerequisites.<lang>, gradingScheme.<lang>,
 *   furtherInformation.<lang>, qualityAssurance.description.<lang>   (language maps)
 *   learningOutcomes.<lang>, stackableTowards.<lang>   (several, separated by " | ")
 *   assessments, participation, awardingBodies, issuerCountries, iscedFields, languages,
 *   alliances   (lists separated by ";"; awardingBodies are SCHAC codes)
 *   qualityAssurance.type, qualityAssurance.agency.name, qualityAssurance.agency.deqarAgencyId,
 *   qualityAssurance.agency.deqarReportId
 * Empty cells are left out. Values are passed on as written (numbers as numbers): the
 * server validates them and reports each failing field.
 */
const LANGUAGE_MAPS = ['title', 'description', 'prerequisites', 'gradingScheme', 'furtherInformation']
const LISTS = ['assessments', 'participation', 'awardingBodies', 'issuerCountries', 'iscedFields', 'languages', 'alliances']
const NUMBERS = ['ects', 'workloadHours']
const TEXTS = ['externalId', 'status', 'qfEheaCycle', 'supervision', 'learningOpportunityType', 'homepage', 'startDate', 'endDate', 'applicationDeadline']

type Row = Record<string, string>
type Offer = Record<string, unknown>

function list(value: string): string[] {
  return value.split(';').map((item) => item.trim()).filter(Boolean)
}

function several(value: string): string[] {
  return value.split('|').map((item) => item.trim()).filter(Boolean)
}

function number(value: string): number | string {
  const parsed = Number(value)
  return value.trim() !== '' && Number.isFinite(parsed) ? parsed : value
}

/** Collects `prefix.<lang>` columns into a language map (undefined when all are empty). */
function languageMap(row: Row, prefix: string): Record<string, string> | undefined {
  const map: Record<string, string> = {}
  for (const [column, value] of Object.entries(row)) {
    if (column.startsWith(`${prefix}.`) && value.trim() !== '') map[column.slice(prefix.length + 1)] = value.trim()
  }
  return Object.keys(map).length > 0 ? map : undefined
}

/** `prefix.<lang>` columns holding several items each, aligned by position across languages. */
function alignedMaps(row: Row, prefix: string): Array<Record<string, string>> {
  const items: Array<Record<string, string>> = []
  for (const [language, text] of Object.entries(languageMap(row, prefix) ?? {})) {
    several(text).forEach((part, index) => {
      items[index] = { ...items[index], [language]: part }
    })
  }
  return items
}

export function rowToOffer(row: Row): Offer {
  const offer: Offer = {}
  const cell = (name: string) => row[name]?.trim() ?? ''
  for (const name of TEXTS) if (cell(name)) offer[name] = cell(name)
  for (const name of NUMBERS) if (cell(name)) offer[name] = number(cell(name))
  if (cell('eqfLevel')) offer.eqfLevel = cell('eqfLevel') === 'not_applicable' ? 'not_applicable' : number(cell('eqfLevel'))
  for (const name of LANGUAGE_MAPS) {
    const map = languageMap(row, name)
    if (map) offer[name] = map
  }
  const outcomes = alignedMaps(row, 'learningOutcomes')
  if (outcomes.length > 0) offer.learningOutcomes = outcomes.map((text) => ({ text }))
  for (const name of LISTS) {
    if (!cell(name)) continue
    const values = list(cell(name))
    if (name === 'assessments') offer.assessments = values.map((type) => ({ type }))
    else if (name === 'awardingBodies') offer.awardingBodies = values.map((schac) => ({ schac }))
    else offer[name] = values
  }
  if (cell('qualityAssurance.type')) {
    const agency: Record<string, string> = {}
    for (const field of ['name', 'deqarAgencyId', 'deqarReportId']) {
      if (cell(`qualityAssurance.agency.${field}`)) agency[field] = cell(`qualityAssurance.agency.${field}`)
    }
    const description = languageMap(row, 'qualityAssurance.description')
    offer.qualityAssurance = {
      type: cell('qualityAssurance.type'),
      ...(description ? { description } : {}),
      ...(Object.keys(agency).length > 0 ? { agency } : {}),
    }
  }
  if (cell('stackability')) {
    const towards = alignedMaps(row, 'stackableTowards').map((title) => ({ title }))
    offer.stackability = { mode: cell('stackability'), ...(towards.length > 0 ? { towards } : {}) }
  }
  return offer
}

export function parseOffersCsv(text: string): Offer[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: false, bom: true }) as Row[]
  return rows.map(rowToOffer)
}
