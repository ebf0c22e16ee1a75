// Response examples of the recognition API (OpenAPI), from the demo data.

/** A demo ex-ante decision of KU Leuven on a Bologna offer */
export const DECISION_EXAMPLE = {
  id: '9d1c4b7a-2e6f-4a83-b5d0-7c3e1f9a2b64',
  recognisingInstitution: 'kuleuven.be',
  offeringInstitution: 'unibo.it',
  offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
  offerVersion: 1,
  scope: 'ex_ante',
  covers: {
    fromVersion: 1,
    until: 'material_change',
  },
  purpose: 'credit_transfer',
  outcome: 'full',
  creditsRecognised: 3,
  creditsMapped: 3,
  recognisedAs: [
    {
      code: 'G0Z12A',
      title: 'Research data management',
      credits: 3,
      programme: 'Master of Statistics and Data Science',
      losId: 'kuleuven.be:los:G0Z12A',
      componentType: 'elective',
      academicYear: '2027/2028',
      term: 'semester 2',
      gradeConversion: {
        rule: "Bologna grades 18–30 convert to 10–20 by the faculty's ECTS grading table for 2026–2027",
      },
    },
  ],
  substantialDifferences: [],
  conditions: [],
  validFrom: '2026-11-02',
  validUntil: null,
  decidedAt: '2026-11-02T09:15:00.000Z',
  supersedes: null,
  supersededBy: null,
  preApproval: 'pre_approved',
  status: 'in_force',
  revokedAt: null,
  revocationReason: null,
  automatic: true,
  createdAt: '2026-11-02T09:15:00.000Z',
  decidingBody: 'Examination Committee, Master of Statistics and Data Science',
  contact: {
    email: 'recognition@wis.kuleuven.be',
    url: 'https://www.kuleuven.be/english/education/recognition',
  },
  policyUrl: 'https://www.kuleuven.be/english/education/recognition-policy',
}

/** The same decision as the per-offer and batch status views show it (see toEntry in service.ts). */
const { recognisedAs, creditsRecognised, creditsMapped, purpose, outcome, conditions, automatic, preApproval, validFrom, validUntil, decidedAt, offerVersion, covers, decidingBody, contact, policyUrl } =
  DECISION_EXAMPLE

/** Where an offer is recognised */
export const OFFER_RECOGNITION_EXAMPLE = {
  offerId: DECISION_EXAMPLE.offerId,
  found: true,
  currentVersion: 2,
  offerWithdrawn: false,
  recognitions: [
    {
      decisionId: DECISION_EXAMPLE.id,
      recognisingInstitution: DECISION_EXAMPLE.recognisingInstitution,
      purpose,
      outcome,
      creditsRecognised,
      creditsMapped,
      recognisedAs,
      conditions,
      automatic,
      preApproval,
      validFrom,
      validUntil,
      decidedAt,
      offerVersion,
      covers,
      offerChangedSince: [
        {
          element: 'learningOutcomes',
          material: true,
        },
      ],
      coversCurrentVersion: false,
      decidingBody,
      contact,
      policyUrl,
    },
  ],
}
