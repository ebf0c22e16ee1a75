import type { FieldError } from '../../errors.js'
import { amountProblems } from '../../lib/credits.js'
import { ECTS, NUTS_CODES, QF_EHEA_CYCLES, countryUri, isIscedField, isNqfLevel, languageUri, nutsCountry } from '../../vocabularies/index.js'
import type { OfferContent } from './schemas.js'

/**
 * Rules an offer's content must keep whatever its status (a draft may be incomplete, never
 * wrong). Pure: no HTTP, no SQL. Every violation is reported, each with its JSON Pointer.
 */

/** A workload is "wildly inconsistent" outside this band around the ECTS 25–30 hours per credit. */
export const WORKLOAD_TOLERANCE = { min: 20, max: 36 } as const

function violation(pointer: string, detail: string, code?: string): FieldError {
  return { in: 'body', pointer, detail, ...(code ? { code } : {}) }
}

/** Credits and hours: two decimals at most, and at least MIN_CREDITS ECTS and MIN_HOURS hours. */
function amountErrors(content: OfferContent): FieldError[] {
  const errors: FieldError[] = []
  for (const [field, unit, prefix] of [['ects', 'credits', 'CREDITS'], ['workloadHours', 'hours', 'HOURS']] as const) {
    const value = content[field]
    if (value === undefined) continue
    for (const problem of amountProblems(value, unit)) errors.push(violation(`/${field}`, problem.detail, `${prefix}_${problem.code}`))
  }
  return errors
}

/**
 * An external id made only of dots is a path segment that clients and proxies remove from a
 * URL (`/offers/..` names the institution's offers list), so the offer could never be read or
 * written by it again.
 */
export function externalIdErrors(externalId: string, location: FieldError['in']): FieldError[] {
  if (!/^\.+$/.test(externalId)) return []
  return [
    {
      in: location,
      pointer: '/externalId',
      code: 'EXTERNAL_ID_DOTS',
      detail: `"${externalId}" is made only of dots, which clients remove from URLs: the offer could not be addressed by it; choose another id`,
    },
  ]
}

/** Codes outside the EU's lists (src/vocabularies), which an export could not name. */
export function vocabularyErrors(content: OfferContent): FieldError[] {
  const errors: FieldError[] = []
  content.iscedFields?.forEach((code, index) => {
    if (!isIscedField(code)) errors.push(violation(`/iscedFields/${index}`, `${code} is not an ISCED-F 2013 field`, 'ISCED_F_UNKNOWN'))
  })
  content.languages?.forEach((tag, index) => {
    if (languageUri(tag) === undefined) {
      errors.push(violation(`/languages/${index}`, `${tag}: the EU's language list has no language with this ISO 639-1 code`, 'LANGUAGE_UNKNOWN'))
    }
  })
  content.issuerCountries?.forEach((code, index) => {
    if (countryUri(code) === undefined) {
      errors.push(violation(`/issuerCountries/${index}`, `${code} is not an ISO 3166-1 country code the EU's country list has`, 'COUNTRY_UNKNOWN'))
    }
  })
  content.nqfLevels?.forEach((iri, index) => {
    if (!isNqfLevel(iri)) errors.push(violation(`/nqfLevels/${index}`, `${iri} is not in the Qualification Dataset Register's NQF list`, 'NQF_LEVEL_UNKNOWN'))
  })
  content.issuerRegions?.forEach((code, index) => {
    const pointer = `/issuerRegions/${index}`
    if (!NUTS_CODES.has(code) || code.length < 3) {
      errors.push(violation(pointer, `${code} is not a NUTS region (levels 1–3) the EU's list has`, 'NUTS_UNKNOWN'))
    } else if (!content.issuerCountries?.includes(nutsCountry(code))) {
      errors.push(violation(pointer, `${code} is in ${nutsCountry(code)}, which is not an issuer country`, 'REGION_OUTSIDE_ISSUER_COUNTRIES'))
    }
  })
  return errors
}

export function checkOfferRules(content: OfferContent): FieldError[] {
  const errors: FieldError[] = amountErrors(content)
  if (content.ects !== undefined && content.workloadHours !== undefined) {
    const perCredit = content.workloadHours / content.ects
    if (perCredit < WORKLOAD_TOLERANCE.min || perCredit > WORKLOAD_TOLERANCE.max) {
      errors.push(
        violation(
          '/workloadHours',
          `${content.workloadHours} hours for ${content.ects} ECTS is ${Math.round(perCredit * 10) / 10} hours per credit; ` +
            `one ECTS credit is ${ECTS.hoursPerCreditMin}–${ECTS.hoursPerCreditMax} hours ` +
            `(accepted: ${WORKLOAD_TOLERANCE.min}–${WORKLOAD_TOLERANCE.max})`,
        ),
      )
    }
  }

  if (content.qfEheaCycle !== undefined) {
    const cycle = QF_EHEA_CYCLES.find((c) => c.code === content.qfEheaCycle)!
    if (content.eqfLevel !== cycle.eqfLevel) {
      errors.push(
        violation('/qfEheaCycle', `the ${cycle.code} cycle corresponds to EQF level ${cycle.eqfLevel}, not ${String(content.eqfLevel ?? 'none')}`),
      )
    }
  }

  errors.push(...vocabularyErrors(content))

  if (content.startDate && content.endDate && content.endDate < content.startDate) {
    errors.push(violation('/endDate', 'must not be before startDate'))
  }
  if (content.applicationDeadline && content.endDate && content.applicationDeadline > content.endDate) {
    errors.push(violation('/applicationDeadline', 'must not be after endDate'))
  }

  const stackability = content.stackability
  if (stackability?.mode === 'stackable' && !stackability.towards?.length) {
    errors.push(violation('/stackability/towards', 'a stackable offer names what it stacks towards'))
  }
  if (stackability?.mode === 'stand_alone' && stackability.towards !== undefined) {
    errors.push(violation('/stackability/towards', 'a stand-alone offer stacks towards nothing'))
  }

  if (content.qualityAssurance?.type === 'internal') {
    for (const field of ['agency', 'level', 'validUntil'] as const) {
      if (content.qualityAssurance[field] !== undefined) {
        errors.push(violation(`/qualityAssurance/${field}`, 'internal quality assurance has no external agency, nor its accreditation', 'QA_INTERNAL_ACCREDITATION'))
      }
    }
  }

  return errors
}
