import type { Compliance, OfferContent } from './schemas.js'

/**
 * Annex I of Council Recommendation 2022/C 243/02: the mandatory elements an offer states
 * (1 and 5, the learner and the date of issuing, belong to the issued credential).
 * Pure: no HTTP, no SQL.
 */
interface Element {
  number: number
  element: string
  field: string
  /** Undefined when the element is stated; otherwise what is missing. */
  check(content: OfferContent): string | undefined
}

const hasText = (map: Record<string, string> | undefined) =>
  map !== undefined && Object.values(map).some((text) => text.trim().length > 0)

const ELEMENTS: Element[] = [
  {
    number: 2,
    element: 'Title of the micro-credential',
    field: '/title',
    check: (c) => (hasText(c.title) ? undefined : 'State the title in at least one language'),
  },
  {
    number: 3,
    element: 'Country(ies)/Region(s) of the issuer',
    field: '/issuerCountries',
    check: (c) => (c.issuerCountries?.length ? undefined : 'Name at least one issuer country'),
  },
  {
    number: 4,
    element: 'Awarding body(ies)',
    field: '/awardingBodies',
    check: (c) => (c.awardingBodies?.length ? undefined : 'Name at least one awarding body'),
  },
  {
    number: 6,
    element: 'Learning outcomes',
    field: '/learningOutcomes',
    check: (c) =>
      c.learningOutcomes?.some((outcome) => hasText(outcome.text))
        ? undefined
        : 'State at least one learning outcome',
  },
  {
    number: 7,
    element: 'Notional workload needed to achieve the learning outcomes (in ECTS, wherever possible)',
    field: '/ects',
    check: (c) => (c.ects === undefined ? 'State the workload in ECTS credits' : undefined),
  },
  {
    number: 8,
    element: 'Level (and cycle, if applicable) of the learning experience (EQF, QF-EHEA)',
    field: '/eqfLevel',
    check: (c) => (c.eqfLevel === undefined ? 'State the EQF level, or "not_applicable"' : undefined),
  },
  {
    number: 9,
    element: 'Type of assessment',
    field: '/assessments',
    check: (c) => (c.assessments?.length ? undefined : 'Name at least one type of assessment'),
  },
  {
    number: 10,
    element: 'Form of participation in the learning activity',
    field: '/participation',
    check: (c) => (c.participation?.length ? undefined : 'Name at least one form of participation'),
  },
  {
    number: 11,
    element: 'Type of quality assurance used to underpin the micro-credential',
    field: '/qualityAssurance',
    check: (c) => {
      if (c.qualityAssurance === undefined) return 'State the type of quality assurance'
      if (c.qualityAssurance.type !== 'internal' && c.qualityAssurance.agency === undefined) {
        return 'External quality assurance names the agency (/qualityAssurance/agency)'
      }
      return undefined
    },
  },
]

export function checkCompliance(content: OfferContent): Compliance {
  const missing = ELEMENTS.flatMap(({ number, element, field, check }) => {
    const detail = check(content)
    return detail === undefined ? [] : [{ element, number, field, detail }]
  })
  return { complete: missing.length === 0, missing }
}
