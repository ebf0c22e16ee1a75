import type { OfferContent } from '../catalogue/index.js'

/** An institution as an export names it. */
export interface ExportedOrganisation {
  schac: string
  name: Record<string, string>
  country: string
  website: string | null
}

/** What an export is made of: one offer (or one version of it) and who stands behind it. */
export interface ExportSource {
  /** The IRI of the offer, or of the version: `${PUBLIC_BASE_URL}/v1/offers/{id}[/versions/{n}]`. */
  uri: string
  /** The IRI base of institutions: `${PUBLIC_BASE_URL}/v1/institutions/`. */
  institutionsUri: string
  content: OfferContent
  provider: ExportedOrganisation
  /** Co-awarding institutions that confirmed; pending or declined ones are never exported. */
  coAwarding: ExportedOrganisation[]
}

/** The first text of a language map, preferring English. */
export function firstText(map: Record<string, string> | undefined): string | undefined {
  if (map === undefined) return undefined
  return map.en ?? Object.values(map)[0]
}
