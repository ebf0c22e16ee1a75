// Response examples of the registry (OpenAPI), from the demo data.

/** An institution as the API shows it */
export const INSTITUTION_EXAMPLE = {
  schac: 'unibo.it',
  name: {
    en: 'University of Bologna',
    it: 'Alma Mater Studiorum – Università di Bologna',
  },
  country: 'IT',
  website: 'https://www.unibo.it',
  erasmusCode: 'I BOLOGNA01',
  deqarId: null,
  alliances: [
    'una-europa',
  ],
  createdAt: '2026-11-02T09:15:00.000Z',
  updatedAt: '2026-11-02T09:15:00.000Z',
}

/** An alliance as the API shows it */
export const ALLIANCE_EXAMPLE = {
  slug: 'una-europa',
  name: 'Una Europa',
  website: 'https://www.una-europa.eu',
  members: [
    'fu-berlin.de',
    'helsinki.fi',
    'kuleuven.be',
    'leidenuniv.nl',
    'ucm.es',
    'uj.edu.pl',
    'unibo.it',
  ],
  createdAt: '2026-11-02T09:15:00.000Z',
  updatedAt: '2026-11-02T09:15:00.000Z',
}
