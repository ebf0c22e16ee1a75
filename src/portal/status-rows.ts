import type { OfferRecognition } from './api.js'

/** One line of the registrar's table and CSV: an offer with one decision in force, or none. */
export interface StatusRow {
  offerId: string
  found: boolean
  currentVersion: number | null
  offerWithdrawn: boolean
  recognisingInstitution: string | null
  outcome: string | null
  creditsRecognised: number | null
  recognisedAs: string
  validFrom: string | null
  validUntil: string | null
  coversCurrentVersion: boolean | null
  offerChangedSince: string
}

/** The rows of POST /v1/recognitions/status's items, in their order. */
export function statusRows(items: OfferRecognition[]): StatusRow[] {
  return items.flatMap((item): StatusRow[] => {
    const offer = { offerId: item.offerId, found: item.found, currentVersion: item.currentVersion, offerWithdrawn: item.offerWithdrawn }
    if (item.recognitions.length === 0) {
      return [{ ...offer, recognisingInstitution: null, outcome: null, creditsRecognised: null, recognisedAs: '', validFrom: null, validUntil: null, coversCurrentVersion: null, offerChangedSince: '' }]
    }
    return item.recognitions.map((entry) => ({
      ...offer,
      recognisingInstitution: entry.recognisingInstitution,
      outcome: entry.outcome,
      creditsRecognised: entry.creditsRecognised,
      recognisedAs: entry.recognisedAs.map((component) => `${component.code} ${component.title} (${component.credits})`).join('; '),
      validFrom: entry.validFrom,
      validUntil: entry.validUntil,
      coversCurrentVersion: entry.coversCurrentVersion,
      offerChangedSince: entry.offerChangedSince.map((change) => `${change.element}${change.material ? ' (material)' : ''}`).join('; '),
    }))
  })
}

export const STATUS_COLUMNS: Array<keyof StatusRow> = ['offerId', 'found', 'currentVersion', 'offerWithdrawn', 'recognisingInstitution', 'outcome', 'creditsRecognised', 'recognisedAs', 'validFrom', 'validUntil', 'coversCurrentVersion', 'offerChangedSince']
