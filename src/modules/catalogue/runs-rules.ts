import type { FieldError } from '../../errors.js'
import { countryUri, languageUri } from '../../vocabularies/index.js'
import type { RunInput } from './runs-schemas.js'

/**
 * The rules a run must keep, beyond its schema. Pure: no HTTP, no SQL. Every violation is
 * reported with its JSON Pointer (under `prefix`, e.g. `/runs/2` in a sync) and a stable code.
 */

/** What the rules need of the offer a run belongs to. */
export interface RunOffer {
  /** The offer's forms of participation (Annex I element 10); undefined when it states none. */
  participation: readonly string[] | undefined
}

function violation(prefix: string, pointer: string, code: string, detail: string, location: FieldError['in'] = 'body'): FieldError {
  return { in: location, pointer: `${prefix}${pointer}`, code, detail }
}

/** A run id made only of dots is removed from URLs by clients: the run could not be addressed. */
export function runIdErrors(runId: string, location: FieldError['in'], pointer = '/runId'): FieldError[] {
  if (!/^\.+$/.test(runId)) return []
  return [{ in: location, pointer, code: 'RUN_ID_DOTS', detail: `"${runId}" is made only of dots, which clients remove from URLs; choose another id` }]
}

function dateErrors(run: RunInput, prefix: string): FieldError[] {
  const errors: FieldError[] = []
  if (run.endDate < run.startDate) {
    errors.push(violation(prefix, '/endDate', 'RUN_DATES_ORDER', `the run ends (${run.endDate}) before it starts (${run.startDate})`))
  }
  const application = run.application
  if (application) {
    if (application.closes < application.opens) {
      errors.push(violation(prefix, '/application/closes', 'RUN_APPLICATION_ORDER', `applications close (${application.closes}) before they open (${application.opens})`))
    }
    if (application.closes > run.endDate) {
      errors.push(violation(prefix, '/application/closes', 'RUN_APPLICATION_AFTER_END', `applications close (${application.closes}) after the run ends (${run.endDate})`))
    }
  }
  return errors
}

function placeAndWhereErrors(run: RunInput, offer: RunOffer, prefix: string): FieldError[] {
  const errors: FieldError[] = []
  if (run.places?.available !== undefined && run.places.available > run.places.total) {
    errors.push(violation(prefix, '/places/available', 'RUN_PLACES_EXCEED_TOTAL', `${run.places.available} places left of ${run.places.total}`))
  }
  if (!offer.participation?.includes(run.mode)) {
    const offered = offer.participation?.length ? `the offer's forms of participation are ${offer.participation.join(', ')}` : 'the offer states no form of participation'
    errors.push(violation(prefix, '/mode', 'RUN_MODE_NOT_OFFERED', `${run.mode} is not a form of participation of the offer: ${offered}`))
  }
  if (run.mode === 'online' && run.location !== undefined) {
    errors.push(violation(prefix, '/location', 'RUN_LOCATION_ONLINE', 'an online run takes place nowhere in particular: omit location'))
  } else if (run.mode !== 'online' && run.location === undefined) {
    errors.push(violation(prefix, '/location', 'RUN_LOCATION_REQUIRED', `a run with mode ${run.mode} states where it takes place`))
  }
  if (run.location && countryUri(run.location.country) === undefined) {
    errors.push(violation(prefix, '/location/country', 'COUNTRY_UNKNOWN', `${run.location.country} is not an ISO 3166-1 country code the EU's country list has`))
  }
  if (languageUri(run.language) === undefined) {
    errors.push(violation(prefix, '/language', 'LANGUAGE_UNKNOWN', `${run.language}: the EU's language list has no language with this ISO 639-1 code`))
  }
  return errors
}

/** Whole cents (or the currency's hundredths) at most: 12.5 and 450 yes, 0.001 no. */
function hasTwoDecimalsAtMost(amount: number): boolean {
  const cents = amount * 100
  return Math.abs(cents - Math.round(cents)) < 1e-6
}

function feeErrors(run: RunInput, prefix: string): FieldError[] {
  const errors: FieldError[] = []
  const seen = new Set<string>()
  run.fees?.forEach((fee, index) => {
    if (!hasTwoDecimalsAtMost(fee.amount)) {
      errors.push(violation(prefix, `/fees/${index}/amount`, 'RUN_FEE_PRECISION', `${fee.amount}: at most two decimals`))
    }
    const overlaps = seen.has(fee.appliesTo) || (seen.size > 0 && (fee.appliesTo === 'everyone' || seen.has('everyone')))
    if (overlaps) {
      errors.push(violation(prefix, `/fees/${index}/appliesTo`, 'RUN_FEE_AUDIENCE_OVERLAP', `a fee for ${[...seen].join(', ')} is already stated: each learner pays one fee`))
    }
    seen.add(fee.appliesTo)
  })
  return errors
}

function eligibilityErrors(run: RunInput, prefix: string): FieldError[] {
  const errors: FieldError[] = []
  const eligibility = run.eligibility
  if (!eligibility) return errors
  const listed = eligibility.institutions !== undefined
  if (eligibility.openTo === 'institutions' && !listed) {
    errors.push(violation(prefix, '/eligibility/institutions', 'RUN_ELIGIBILITY_INSTITUTIONS', 'openTo institutions names them: list their SCHAC codes'))
  } else if (eligibility.openTo !== 'institutions' && listed) {
    errors.push(violation(prefix, '/eligibility/institutions', 'RUN_ELIGIBILITY_INSTITUTIONS', `institutions are listed only with openTo institutions (here ${eligibility.openTo})`))
  }
  const languages = new Set<string>()
  eligibility.languageRequirements?.forEach((requirement, index) => {
    const pointer = `/eligibility/languageRequirements/${index}/language`
    if (languageUri(requirement.language) === undefined) {
      errors.push(violation(prefix, pointer, 'LANGUAGE_UNKNOWN', `${requirement.language}: the EU's language list has no language with this ISO 639-1 code`))
    }
    if (languages.has(requirement.language)) {
      errors.push(violation(prefix, pointer, 'RUN_LANGUAGE_REQUIREMENT_DUPLICATE', `${requirement.language} is required once, at one level`))
    }
    languages.add(requirement.language)
  })
  return errors
}

/** Every rule a run breaks on its own and against its offer (not what needs the database: see checkRunReferences). */
export function checkRunRules(run: RunInput, offer: RunOffer, prefix = ''): FieldError[] {
  return [...dateErrors(run, prefix), ...placeAndWhereErrors(run, offer, prefix), ...feeErrors(run, prefix), ...eligibilityErrors(run, prefix)]
}

/** The institutions a run's eligibility names that are not registered (`registered`: those that are). */
export function unknownInstitutionErrors(run: RunInput, registered: ReadonlySet<string>, prefix = ''): FieldError[] {
  return (run.eligibility?.institutions ?? []).flatMap((schac, index) =>
    registered.has(schac)
      ? []
      : [violation(prefix, `/eligibility/institutions/${index}`, 'RUN_INSTITUTION_UNKNOWN', `no institution ${schac} is registered`)],
  )
}

/** Whether today (YYYY-MM-DD) is within the run's application window; false when it states none. */
export function isOpenForApplication(run: Pick<RunInput, 'application'>, today: string): boolean {
  return run.application !== undefined && run.application.opens <= today && today <= run.application.closes
}

/** Today's date in UTC, as runs' dates are compared. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}
