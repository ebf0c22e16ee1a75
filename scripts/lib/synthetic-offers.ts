/**
 * Realistic synthetic offers for measurements: complete Annex I data, several languages,
 * fields, levels and forms, deterministic from the index.
 */
const TOPICS = [
  ['Data literacy', 'Littératie des données', '0542'],
  ['Sustainable energy systems', 'Systèmes énergétiques durables', '0713'],
  ['Public health policy', 'Politiques de santé publique', '0923'],
  ['Machine learning', 'Apprentissage automatique', '0613'],
  ['European law', 'Droit européen', '0421'],
  ['Cultural heritage', 'Patrimoine culturel', '0222'],
  ['Entrepreneurship', 'Entrepreneuriat', '0413'],
  ['Climate science', 'Science du climat', '0532'],
] as const
const PARTICIPATION = ['online', 'onsite', 'blended', 'work_based', 'project_based', 'research_lab']
const ASSESSMENTS = ['written_exam', 'oral_exam', 'project', 'portfolio', 'assignment', 'quiz']
const LANGUAGES = [['en'], ['en', 'fr'], ['fr'], ['de', 'en'], ['it'], ['es', 'en']]

export function syntheticOffer(i: number, externalId = `OFFER-${i}`): Record<string, unknown> {
  const [en, fr, isced] = TOPICS[i % TOPICS.length]!
  const ects = [1, 2, 3, 4, 5, 6, 7.5, 10][i % 8]!
  const eqfLevel = 5 + (i % 4)
  return {
    externalId,
    title: { en: `${en} ${i}`, fr: `${fr} ${i}` },
    description: { en: `A micro-credential on ${en.toLowerCase()} for learners across Europe.` },
    learningOutcomes: [
      { text: { en: `Apply the core methods of ${en.toLowerCase()}`, fr: `Appliquer les méthodes de base : ${fr.toLowerCase()}` } },
      { text: { en: `Evaluate a real case in ${en.toLowerCase()}` } },
    ],
    ects,
    workloadHours: Math.round(ects * 27),
    eqfLevel,
    assessments: [{ type: ASSESSMENTS[i % ASSESSMENTS.length] }],
    participation: [PARTICIPATION[i % PARTICIPATION.length]],
    qualityAssurance:
      i % 3 === 0
        ? { type: 'internal' }
        : { type: 'internal_and_external', agency: { name: 'Quality agency', deqarAgencyId: String(10 + (i % 40)) } },
    iscedFields: [isced],
    languages: LANGUAGES[i % LANGUAGES.length],
    startDate: `2027-${String((i % 12) + 1).padStart(2, '0')}-01`,
    stackability: i % 5 === 0 ? { mode: 'stackable', towards: [{ title: { en: 'Alliance certificate' } }] } : { mode: 'stand_alone' },
  }
}
