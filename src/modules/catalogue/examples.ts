// Response examples of the catalogue (OpenAPI), from the demo data.

/** A published offer, as the API shows it */
export const OFFER_EXAMPLE = {
  id: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
  institution: 'unibo.it',
  externalId: 'MC-DATA-LIT-2027',
  version: 2,
  compliance: {
    complete: true,
    missing: [],
    violations: [],
  },
  exportReadiness: {
    elm: {
      ready: true,
      missing: [],
    },
    ob3: {
      ready: true,
      missing: [],
    },
  },
  status: 'published',
  createdAt: '2026-11-02T09:15:00.000Z',
  updatedAt: '2026-11-02T09:15:00.000Z',
  publishedAt: '2026-11-02T09:15:00.000Z',
  withdrawnAt: null,
  issuerCountries: [
    'IT',
  ],
  awardingBodies: [
    {
      schac: 'unibo.it',
      status: 'provider',
    },
    {
      schac: 'helsinki.fi',
      status: 'pending',
    },
  ],
  alliances: [
    'una-europa',
  ],
  title: {
    en: 'Data literacy for researchers',
    fr: 'Littératie des données pour la recherche',
    it: 'Alfabetizzazione ai dati per la ricerca',
  },
  description: {
    en: 'Find, clean, analyse and share research data responsibly, following the FAIR principles.',
    fr: 'Trouver, nettoyer, analyser et partager les données de la recherche de manière responsable, selon les principes FAIR.',
    it: 'Trovare, pulire, analizzare e condividere i dati della ricerca in modo responsabile, secondo i principi FAIR.',
  },
  learningOutcomes: [
    {
      text: {
        en: 'Clean and document a research data set so others can reuse it',
        it: 'Pulire e documentare un insieme di dati perché altri possano riutilizzarlo',
      },
    },
    {
      text: {
        en: 'Write a data management plan for a research project',
        it: 'Redigere un piano di gestione dei dati per un progetto di ricerca',
      },
    },
    {
      text: {
        en: 'Publish a data set in a trusted repository with a persistent identifier',
      },
    },
  ],
  ects: 3,
  workloadHours: 75,
  eqfLevel: 7,
  qfEheaCycle: 'second',
  assessments: [
    {
      type: 'project',
      description: {
        en: 'A documented data set and a data management plan',
      },
    },
  ],
  participation: [
    'online',
  ],
  qualityAssurance: {
    type: 'internal_and_external',
    description: {
      en: "Reviewed under the university's internal QA system, accredited by ANVUR (the DEQAR agency id is an example, not looked up)",
    },
    agency: {
      name: 'ANVUR – Agenzia Nazionale di Valutazione del Sistema Universitario e della Ricerca',
      deqarAgencyId: '29',
      country: 'IT',
    },
    level: 'institutional',
  },
  supervision: 'supervised_online_id',
  stackability: {
    mode: 'stackable',
    towards: [
      {
        title: {
          en: 'Una Europa Certificate in Data Science',
        },
      },
    ],
  },
  homepage: 'https://www.unibo.it/en/study/micro-credentials',
  iscedFields: [
    '0542',
    '0613',
  ],
  languages: [
    'en',
    'it',
  ],
  startDate: '2027-02-15',
  endDate: '2027-05-15',
  applicationDeadline: '2027-01-31',
  learningOpportunityType: 'short_learning_programme',
  nqfLevels: [
    'http://data.europa.eu/snb/qdr/c_0fe2b814',
  ],
}

/** The offer's first version, before its third learning outcome: as stated then (awarding bodies and issuer countries as named) */
const { status: _status, updatedAt: _updatedAt, withdrawnAt: _withdrawnAt, alliances: _alliances, ...offerState } = OFFER_EXAMPLE
export const OFFER_VERSION_EXAMPLE = {
  ...offerState,
  version: 1,
  awardingBodies: [{ schac: 'unibo.it' }, { schac: 'helsinki.fi' }],
  issuerCountries: ['IT', 'FI'],
  learningOutcomes: OFFER_EXAMPLE.learningOutcomes.slice(0, 2),
}

/** A dry-run sync that would create one offer and leave another as it is */
export const SYNC_SUMMARY_EXAMPLE = {
  mode: 'upsert',
  dryRun: true,
  created: [
    {
      externalId: 'MC-GREEN-2027',
      id: null,
      version: null,
    },
  ],
  updated: [],
  unchanged: [
    {
      externalId: 'MC-DATA-LIT-2027',
      id: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
      version: 2,
    },
  ],
  withdrawn: [],
  runs: { created: 2, updated: 0, unchanged: 1, deleted: 0 },
}

/** A sync refused because one offer lacks Annex I elements */
export const SYNC_PROBLEM_EXAMPLE = {
  type: 'urn:passerelle:problem:sync-rejected',
  title: 'Sync rejected',
  status: 422,
  detail: '1 of 2 offers are invalid; nothing was written',
  instance: '/v1/institutions/unibo.it/offers/sync',
  code: 'SYNC_REJECTED',
  requestId: 'b614bfe3-c7b0-49b6-89ea-4133e0ce5833',
  errors: [
    {
      in: 'body',
      pointer: '/offers/1/learningOutcomes',
      detail: 'is required to publish (Annex I: learning outcomes)',
    },
  ],
  invalidOffers: [
    {
      index: 1,
      externalId: 'MC-GREEN-2027',
      code: 'OFFER_INCOMPLETE',
      errors: [
        {
          in: 'body',
          pointer: '/offers/1/learningOutcomes',
          detail: 'is required to publish (Annex I: learning outcomes)',
        },
      ],
    },
  ],
}

/** Helsinki's answer, pending, to a Bologna offer naming it as co-awarding body */
export const AWARDING_REQUEST_EXAMPLE = {
  offerId: '3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35',
  offerInstitution: 'unibo.it',
  externalId: 'MC-DATA-LIT-2027',
  title: {
    en: 'Data literacy for researchers',
  },
  offerStatus: 'published',
  institution: 'helsinki.fi',
  status: 'pending',
  requestedAt: '2026-11-02T09:15:00.000Z',
  decidedAt: null,
}
