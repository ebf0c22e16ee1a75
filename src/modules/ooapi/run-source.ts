import type { Database } from '../../db/client.js'

/**
 * A run (OOAPI "offering") of an offer, as the catalogue represents it: the provider's input
 * (docs: the run shape agreed with the runs of an offer) plus what the server adds. The OOAPI
 * view reads runs through a RunSource; the catalogue's runs repository is one.
 */
export interface RunInput {
  startDate: string
  endDate: string
  application?: { opens: string; closes: string }
  places?: { total: number; available?: number }
  /** Language of instruction, ISO 639-1. */
  language: string
  /** One of the offer's participation codes (online, onsite, blended …). */
  mode: string
  /** Absent for online runs. */
  location?: { city: string; campus?: string; country: string }
  fees?: Array<{ amount: number; currency: string; appliesTo: 'alliance_students' | 'others' | 'everyone' }>
  enrolmentUrl?: string
  eligibility?: {
    openTo: 'alliance_students' | 'institutions' | 'anyone'
    institutions?: string[]
    languageRequirements?: Array<{ language: string; cefr: string }>
  }
}

export interface Run extends RunInput {
  id: string
  offerId: string
  runId: string
  institution: string
  openForApplication: boolean
  updatedAt: string
}

/** A run in the sync body: the provider's id beside the input. */
export type SyncRun = RunInput & { runId: string }

/** Where the view reads runs from; it asks only about published offers. */
export interface RunSource {
  /** The offer's runs in start date order, `limit` of them after skipping `offset`. */
  listForOffer(offerId: string, page: { offset: number; limit: number }): Promise<Run[]>
  byId(id: string): Promise<Run | undefined>
}

/** Makes the RunSource of a database: how the app wires the catalogue's runs repository into the view. */
export type RunSourceFactory = (db: Database) => RunSource
