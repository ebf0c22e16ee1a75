/** A complete offer, stating every mandatory Annex I element. */
export function completeOffer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { en: 'Data literacy for researchers', fr: 'Littératie des données pour chercheurs' },
    description: { en: 'Find, clean, analyse and share research data responsibly.' },
    learningOutcomes: [
      {
        text: { en: 'Clean and document a research data set', fr: 'Nettoyer et documenter un jeu de données' },
        escoSkills: ['http://data.europa.eu/esco/skill/6a4b2f9e-1c0d-4a2b-9a1b-0c6c3d2e1f00'],
      },
    ],
    ects: 3,
    workloadHours: 80,
    eqfLevel: 7,
    qfEheaCycle: 'second',
    assessments: [{ type: 'project', description: { en: 'A documented data set and a report' } }],
    participation: ['online'],
    qualityAssurance: {
      type: 'internal_and_external',
      description: { en: 'Programme review under the institutional QA system' },
      agency: { name: 'ANVUR', deqarAgencyId: '88', deqarReportId: '12345' },
    },
    iscedFields: ['0542'],
    languages: ['en'],
    startDate: '2027-02-01',
    endDate: '2027-04-30',
    ...overrides,
  }
}

/** A complete offer that also states what an ELM export needs (homepage, NQF level, the accreditation's type and agency country). */
export function exportableOffer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return completeOffer({
    homepage: 'https://www.unibo.it/en',
    nqfLevels: ['http://data.europa.eu/snb/qdr/c_0fe2b814'],
    qualityAssurance: { type: 'internal_and_external', agency: { name: 'ANVUR', country: 'IT' }, level: 'institutional' },
    ...overrides,
  })
}
