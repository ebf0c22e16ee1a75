import { canonicalJson } from '../../lib/canonical-json.js'
import type { OfferContent } from '../catalogue/index.js'

/**
 * Which offer versions a decision covers, and what changed in an offer since the version
 * decided on. Pure: no HTTP, no SQL.
 */

/**
 * The elements of an offer (Annex I of the Council Recommendation on micro-credentials, and the
 * catalogue's further statements) and whether a change to each is material: one that touches
 * what recognition weighs under the Lisbon Recognition Convention (level, workload, quality,
 * learning outcomes and how they are assessed, who awards the credential). Any other change is
 * editorial: it leaves a decision's grounds as they were.
 */
export const OFFER_ELEMENTS = {
  title: false,
  description: false,
  issuerCountries: false,
  awardingBodies: true,
  learningOutcomes: true,
  ects: true,
  workloadHours: true,
  eqfLevel: true,
  qfEheaCycle: true,
  assessments: true,
  participation: false,
  qualityAssurance: true,
  prerequisites: true,
  supervision: true,
  gradingScheme: false,
  stackability: false,
  homepage: false,
  furtherInformation: false,
  iscedFields: false,
  languages: false,
  startDate: false,
  endDate: false,
  applicationDeadline: false,
  learningOpportunityType: false,
  // The elements the Europass exports brought: a national level and the setting (formal or not)
  // weigh in a recognition like the EQF level; a NUTS region only says where more precisely.
  nqfLevels: true,
  learningSetting: true,
  issuerRegions: false,
} as const satisfies Record<keyof OfferContent, boolean>

export type OfferElement = keyof typeof OFFER_ELEMENTS
export const MATERIAL_ELEMENTS = (Object.keys(OFFER_ELEMENTS) as OfferElement[]).filter((element) => OFFER_ELEMENTS[element])

export interface OfferChange {
  element: OfferElement
  material: boolean
}

/** The elements whose statement differs between two contents of an offer (added, removed or changed), in Annex I order. */
export function offerChanges(before: OfferContent, after: OfferContent): OfferChange[] {
  return (Object.keys(OFFER_ELEMENTS) as OfferElement[])
    .filter((element) => canonicalJson(before[element]) !== canonicalJson(after[element]))
    .map((element) => ({ element, material: OFFER_ELEMENTS[element] }))
}

/** The versions an ex-ante decision covers: from a version, until the offer changes materially or until a given version. */
export interface Covers {
  fromVersion: number
  until: 'material_change' | { version: number }
}

/** What a decision states of its coverage, or for decisions that state none: from the version decided on until a material change. */
export function coversOf(stated: Covers | undefined, decidedVersion: number): Covers {
  return stated ?? { fromVersion: decidedVersion, until: 'material_change' }
}

/**
 * Whether a decision covers an offer's current version, given what changed between the version
 * decided on and the current one.
 */
export function coversVersion(covers: Covers, currentVersion: number, changes: readonly OfferChange[]): boolean {
  if (currentVersion < covers.fromVersion) return false
  if (covers.until === 'material_change') return !changes.some((change) => change.material)
  return currentVersion <= covers.until.version
}

/** A stated coverage that includes the version decided on. */
export function coversErrors(covers: Covers, decidedVersion: number): Array<{ pointer: string; code: string; detail: string }> {
  const errors = []
  if (covers.fromVersion > decidedVersion) {
    errors.push({ pointer: '/covers/fromVersion', code: 'COVERS_FROM_AFTER_DECIDED', detail: `the decision is taken on version ${decidedVersion}: it covers it` })
  }
  if (covers.until !== 'material_change' && covers.until.version < decidedVersion) {
    errors.push({ pointer: '/covers/until/version', code: 'COVERS_UNTIL_BEFORE_DECIDED', detail: `the decision is taken on version ${decidedVersion}: it covers it` })
  }
  return errors
}

export interface PublishedVersion {
  number: number
  publishedAt: Date
}

/**
 * The version in force on a day (YYYY-MM-DD, UTC): the last one published on or before it.
 * Undefined when none was published by then.
 */
export function versionInForceOn(versions: readonly PublishedVersion[], day: string): number | undefined {
  let found: PublishedVersion | undefined
  for (const version of versions) {
    if (version.publishedAt.toISOString().slice(0, 10) <= day && (found === undefined || version.number > found.number)) found = version
  }
  return found?.number
}
