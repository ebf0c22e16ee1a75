// `npm run sync -- --from-ooapi <base URL>`: reads a university's OOAPI v5 endpoint whole
// (courses and their offerings), maps it, reports per course, then submits it through the
// sync endpoint: a dry run first, then (unless --dry-run) the same body for real. Any failure
// while reading stops everything before a byte is sent: all or nothing.
import { createOoapiReader, OoapiReadError, type OoapiReaderOptions } from './ooapi-client.js'
import { importCourse, type ImportedCourse } from './ooapi-import.js'

export interface SubmitResult {
  status: number
  body: Record<string, any>
}

export interface OoapiImportOptions {
  reader: OoapiReaderOptions
  /** POSTs the sync body to our server (dry run or not) and returns its answer. */
  submit: (body: object, dryRun: boolean) => Promise<SubmitResult>
  dryRun: boolean
  /** Where the report goes, line by line. */
  print: (line: string) => void
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** The sync body of the imported courses: each offer with its runs, their whole set. */
export function syncBodyOf(courses: ImportedCourse[]): { mode: 'upsert'; offers: object[] } {
  return { mode: 'upsert', offers: courses.map((course) => ({ ...course.offer, runs: course.runs })) }
}

/** Reads every course and its offerings, then maps them; throws OoapiReadError when the endpoint cannot be read whole. */
export async function readCourses(reader: OoapiReaderOptions): Promise<ImportedCourse[]> {
  const ooapi = createOoapiReader(reader)
  const courses = await ooapi.list('/courses')
  const imported: ImportedCourse[] = []
  for (const course of courses) {
    const id = course.courseId
    const offerings = typeof id === 'string' && UUID.test(id) ? await ooapi.list(`/courses/${id}/offerings`) : []
    imported.push(importCourse(course, offerings))
  }
  return imported
}

/** The whole import; its exit code. */
export async function importFromOoapi(options: OoapiImportOptions): Promise<number> {
  const { print } = options
  let courses: ImportedCourse[]
  try {
    courses = await readCourses({ ...options.reader, onRetry: (url, attempt, reason) => print(`retrying ${url} (${reason}), attempt ${attempt + 1}`) })
  } catch (error) {
    if (!(error instanceof OoapiReadError)) throw error
    print(`cannot read ${options.reader.baseUrl} whole, nothing was sent: ${error.message}`)
    return 1
  }
  const seen = new Map<string, string>()
  const duplicates = courses.filter((course) => {
    const first = seen.get(course.externalId)
    seen.set(course.externalId, course.courseId)
    return first !== undefined
  })
  const offerings = courses.reduce((n, course) => n + course.offerings, 0)
  const runs = courses.reduce((n, course) => n + course.runs.length, 0)
  print(`read ${courses.length} course${courses.length === 1 ? '' : 's'} and ${offerings} offering${offerings === 1 ? '' : 's'} (${runs} mapped to runs) from ${options.reader.baseUrl}`)
  for (const course of courses) {
    print(`course ${course.courseId} → offer ${course.externalId} (${course.offer.status}), ${course.runs.length} run${course.runs.length === 1 ? '' : 's'}`)
    for (const line of course.unmapped) print(`  not mapped: ${line}`)
    for (const line of course.missing) print(`  missing for Annex I: ${line}`)
  }
  if (duplicates.length > 0) {
    print(`nothing was sent: several courses have the same identifier (${duplicates.map((course) => course.externalId).join(', ')})`)
    return 1
  }
  const body = syncBodyOf(courses)
  const rehearsal = await options.submit(body, true)
  if (!reportAnswer(rehearsal, print)) return 1
  if (options.dryRun) return 0
  return reportAnswer(await options.submit(body, false), print) ? 0 : 1
}

function reportAnswer({ status, body }: SubmitResult, print: (line: string) => void): boolean {
  if (status !== 200) {
    print(`sync refused (${status} ${body.code}): ${body.detail}`)
    for (const invalid of body.invalidOffers ?? []) {
      print(`  offer ${invalid.externalId ?? '?'}: ${invalid.code}`)
      for (const error of invalid.errors ?? []) print(`    ${error.pointer}: ${error.detail}`)
    }
    return false
  }
  const prefix = body.dryRun ? 'dry run, nothing written: would have' : 'done:'
  const runs = body.runs as { created: number; updated: number; unchanged: number; deleted: number }
  print(
    `${prefix} created ${body.created.length}, updated ${body.updated.length}, unchanged ${body.unchanged.length}, withdrawn ${body.withdrawn.length}; ` +
      `runs created ${runs.created}, updated ${runs.updated}, unchanged ${runs.unchanged}, deleted ${runs.deleted}`,
  )
  return true
}
