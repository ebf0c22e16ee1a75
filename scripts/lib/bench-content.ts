/**
 * Multilingual offer content for the benchmark: titles, descriptions and learning outcomes in
 * the offer's languages of instruction (English, French, German, Italian, Spanish, Dutch,
 * Polish), with topics, levels, workloads and forms varying independently, deterministic
 * from the offer's number. Every offer it makes passes the service's rules and is complete
 * under Annex I.
 */
export const BENCH_LANGUAGES = ['en', 'fr', 'de', 'it', 'es', 'nl', 'pl'] as const
type Language = (typeof BENCH_LANGUAGES)[number]
type Phrases = Record<Language, string>

interface Topic {
  isced: string
  name: Phrases
}

const TOPICS: Topic[] = [
  { isced: '0542', name: { en: 'data literacy', fr: 'littératie des données', de: 'Datenkompetenz', it: 'alfabetizzazione ai dati', es: 'alfabetización de datos', nl: 'datageletterdheid', pl: 'umiejętności analizy danych' } },
  { isced: '0613', name: { en: 'machine learning', fr: 'apprentissage automatique', de: 'maschinelles Lernen', it: 'apprendimento automatico', es: 'aprendizaje automático', nl: 'machinaal leren', pl: 'uczenie maszynowe' } },
  { isced: '0612', name: { en: 'cybersecurity', fr: 'cybersécurité', de: 'Cybersicherheit', it: 'sicurezza informatica', es: 'ciberseguridad', nl: 'cyberbeveiliging', pl: 'cyberbezpieczeństwo' } },
  { isced: '0613', name: { en: 'software engineering', fr: 'génie logiciel', de: 'Softwaretechnik', it: 'ingegneria del software', es: 'ingeniería del software', nl: 'softwareontwikkeling', pl: 'inżynieria oprogramowania' } },
  { isced: '0713', name: { en: 'renewable energy', fr: 'énergies renouvelables', de: 'erneuerbare Energien', it: 'energie rinnovabili', es: 'energías renovables', nl: 'hernieuwbare energie', pl: 'energia odnawialna' } },
  { isced: '0521', name: { en: 'climate adaptation', fr: 'adaptation au changement climatique', de: 'Klimaanpassung', it: 'adattamento climatico', es: 'adaptación climática', nl: 'klimaatadaptatie', pl: 'adaptacja do zmian klimatu' } },
  { isced: '0311', name: { en: 'circular economy', fr: 'économie circulaire', de: 'Kreislaufwirtschaft', it: 'economia circolare', es: 'economía circular', nl: 'circulaire economie', pl: 'gospodarka obiegu zamkniętego' } },
  { isced: '0923', name: { en: 'community health', fr: 'santé communautaire', de: 'Gemeindegesundheit', it: 'salute di comunità', es: 'salud comunitaria', nl: 'gemeenschapsgezondheid', pl: 'zdrowie środowiskowe' } },
  { isced: '0913', name: { en: 'palliative nursing', fr: 'soins infirmiers palliatifs', de: 'Palliativpflege', it: 'infermieristica palliativa', es: 'enfermería paliativa', nl: 'palliatieve verpleging', pl: 'pielęgniarstwo paliatywne' } },
  { isced: '0421', name: { en: 'European law', fr: 'droit européen', de: 'Europarecht', it: 'diritto europeo', es: 'derecho europeo', nl: 'Europees recht', pl: 'prawo europejskie' } },
  { isced: '0421', name: { en: 'data protection law', fr: 'droit de la protection des données', de: 'Datenschutzrecht', it: 'diritto della protezione dei dati', es: 'derecho de protección de datos', nl: 'gegevensbeschermingsrecht', pl: 'prawo ochrony danych' } },
  { isced: '0222', name: { en: 'cultural heritage', fr: 'patrimoine culturel', de: 'Kulturerbe', it: 'patrimonio culturale', es: 'patrimonio cultural', nl: 'cultureel erfgoed', pl: 'dziedzictwo kulturowe' } },
  { isced: '0413', name: { en: 'entrepreneurship', fr: 'entrepreneuriat', de: 'Unternehmertum', it: 'imprenditorialità', es: 'emprendimiento', nl: 'ondernemerschap', pl: 'przedsiębiorczość' } },
  { isced: '0413', name: { en: 'project management', fr: 'gestion de projet', de: 'Projektmanagement', it: 'gestione dei progetti', es: 'gestión de proyectos', nl: 'projectmanagement', pl: 'zarządzanie projektami' } },
  { isced: '0532', name: { en: 'climate science', fr: 'science du climat', de: 'Klimawissenschaft', it: 'scienza del clima', es: 'ciencia del clima', nl: 'klimaatwetenschap', pl: 'nauka o klimacie' } },
  { isced: '0731', name: { en: 'urban planning', fr: 'urbanisme', de: 'Stadtplanung', it: 'pianificazione urbana', es: 'urbanismo', nl: 'stedenbouw', pl: 'planowanie przestrzenne' } },
  { isced: '0721', name: { en: 'food processing', fr: 'transformation alimentaire', de: 'Lebensmittelverarbeitung', it: 'trasformazione alimentare', es: 'procesado de alimentos', nl: 'voedselverwerking', pl: 'przetwórstwo żywności' } },
  { isced: '0111', name: { en: 'digital pedagogy', fr: 'pédagogie numérique', de: 'digitale Didaktik', it: 'didattica digitale', es: 'pedagogía digital', nl: 'digitale didactiek', pl: 'pedagogika cyfrowa' } },
  { isced: '0231', name: { en: 'intercultural communication', fr: 'communication interculturelle', de: 'interkulturelle Kommunikation', it: 'comunicazione interculturale', es: 'comunicación intercultural', nl: 'interculturele communicatie', pl: 'komunikacja międzykulturowa' } },
  { isced: '0412', name: { en: 'sustainable finance', fr: 'finance durable', de: 'nachhaltige Finanzen', it: 'finanza sostenibile', es: 'finanzas sostenibles', nl: 'duurzame financiering', pl: 'zrównoważone finanse' } },
  { isced: '0714', name: { en: 'robotics', fr: 'robotique', de: 'Robotik', it: 'robotica', es: 'robótica', nl: 'robotica', pl: 'robotyka' } },
  { isced: '0732', name: { en: 'sustainable construction', fr: 'construction durable', de: 'nachhaltiges Bauen', it: 'edilizia sostenibile', es: 'construcción sostenible', nl: 'duurzaam bouwen', pl: 'budownictwo zrównoważone' } },
  { isced: '0811', name: { en: 'precision agriculture', fr: 'agriculture de précision', de: 'Präzisionslandwirtschaft', it: 'agricoltura di precisione', es: 'agricultura de precisión', nl: 'precisielandbouw', pl: 'rolnictwo precyzyjne' } },
  { isced: '1015', name: { en: 'sustainable tourism', fr: 'tourisme durable', de: 'nachhaltiger Tourismus', it: 'turismo sostenibile', es: 'turismo sostenible', nl: 'duurzaam toerisme', pl: 'turystyka zrównoważona' } },
]

/** Where the topic is applied: widens the vocabulary the way real catalogues do. */
const CONTEXTS: Phrases[] = [
  { en: 'in the public sector', fr: 'dans le secteur public', de: 'im öffentlichen Sektor', it: 'nel settore pubblico', es: 'en el sector público', nl: 'in de publieke sector', pl: 'w sektorze publicznym' },
  { en: 'for small businesses', fr: 'pour les petites entreprises', de: 'für kleine Unternehmen', it: 'per le piccole imprese', es: 'para pequeñas empresas', nl: 'voor kleine bedrijven', pl: 'dla małych firm' },
  { en: 'in healthcare', fr: 'dans les soins de santé', de: 'im Gesundheitswesen', it: 'nella sanità', es: 'en la asistencia sanitaria', nl: 'in de gezondheidszorg', pl: 'w opiece zdrowotnej' },
  { en: 'in cities', fr: 'dans les villes', de: 'in Städten', it: 'nelle città', es: 'en las ciudades', nl: 'in steden', pl: 'w miastach' },
  { en: 'in rural regions', fr: 'dans les régions rurales', de: 'in ländlichen Regionen', it: 'nelle regioni rurali', es: 'en regiones rurales', nl: 'in landelijke regio’s', pl: 'w regionach wiejskich' },
  { en: 'for teachers', fr: 'pour les enseignants', de: 'für Lehrkräfte', it: 'per insegnanti', es: 'para docentes', nl: 'voor leraren', pl: 'dla nauczycieli' },
  { en: 'in industry', fr: 'dans l’industrie', de: 'in der Industrie', it: 'nell’industria', es: 'en la industria', nl: 'in de industrie', pl: 'w przemyśle' },
  { en: 'across borders', fr: 'au-delà des frontières', de: 'über Grenzen hinweg', it: 'oltre i confini', es: 'más allá de las fronteras', nl: 'over de grenzen heen', pl: 'ponad granicami' },
  { en: 'in non-profit organisations', fr: 'dans les associations', de: 'in gemeinnützigen Organisationen', it: 'nel terzo settore', es: 'en organizaciones sin ánimo de lucro', nl: 'in non-profitorganisaties', pl: 'w organizacjach pozarządowych' },
  { en: 'for researchers', fr: 'pour les chercheurs', de: 'für Forschende', it: 'per ricercatori', es: 'para investigadores', nl: 'voor onderzoekers', pl: 'dla badaczy' },
]

type Template = (topic: string, context: string) => string
type Templates = Record<Language, Template[]>

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

const TITLES: Templates = {
  en: [(t) => `Introduction to ${t}`, (t, c) => `Applied ${t} ${c}`, (t) => `Advanced ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `Foundations of ${t}`],
  fr: [(t) => `Initiation : ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `${capitalise(t)} : approfondissement`, (t) => `${capitalise(t)} en pratique`, (t) => `Fondamentaux : ${t}`],
  de: [(t) => `Einführung: ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `${capitalise(t)} für Fortgeschrittene`, (t) => `${capitalise(t)} in der Praxis`, (t) => `Grundlagen: ${t}`],
  it: [(t) => `Introduzione: ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `${capitalise(t)}: corso avanzato`, (t) => `${capitalise(t)} in pratica`, (t) => `Fondamenti: ${t}`],
  es: [(t) => `Introducción: ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `${capitalise(t)}: nivel avanzado`, (t) => `${capitalise(t)} en la práctica`, (t) => `Fundamentos: ${t}`],
  nl: [(t) => `Inleiding: ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `${capitalise(t)} voor gevorderden`, (t) => `${capitalise(t)} in de praktijk`, (t) => `Grondslagen: ${t}`],
  pl: [(t) => `Wprowadzenie: ${t}`, (t, c) => `${capitalise(t)} ${c}`, (t) => `${capitalise(t)}: poziom zaawansowany`, (t) => `${capitalise(t)} w praktyce`, (t) => `Podstawy: ${t}`],
}

const DESCRIPTIONS: Templates = {
  en: [(t, c) => `A short programme on ${t} ${c}. Learners work on real cases with partner institutions and leave with a portfolio they can show employers.`],
  fr: [(t, c) => `Un programme court consacré à : ${t}, ${c}. Les apprenants travaillent sur des cas réels avec des établissements partenaires.`],
  de: [(t, c) => `Ein kurzes Programm zu ${t} ${c}. Die Lernenden bearbeiten reale Fälle mit Partnerhochschulen und erstellen ein Portfolio.`],
  it: [(t, c) => `Un breve percorso su ${t} ${c}. I partecipanti lavorano su casi reali con le università partner.`],
  es: [(t, c) => `Un programa corto sobre ${t} ${c}. Los estudiantes trabajan en casos reales con instituciones asociadas.`],
  nl: [(t, c) => `Een kort programma over ${t} ${c}. Deelnemers werken aan echte casussen met partnerinstellingen.`],
  pl: [(t, c) => `Krótki program poświęcony tematowi: ${t}, ${c}. Uczestnicy pracują nad rzeczywistymi przypadkami z uczelniami partnerskimi.`],
}

const OUTCOMES: Templates = {
  en: [(t) => `Apply the core methods of ${t} to a real case`, (t, c) => `Evaluate the risks and benefits of ${t} ${c}`, (t) => `Communicate results in ${t} to non-specialists`, (t) => `Design a small project that uses ${t}`],
  fr: [(t) => `Appliquer les méthodes de base (${t}) à un cas réel`, (t, c) => `Évaluer les risques et les bénéfices (${t}) ${c}`, (t) => `Présenter des résultats (${t}) à un public non spécialiste`, (t) => `Concevoir un petit projet : ${t}`],
  de: [(t) => `Die Kernmethoden (${t}) auf einen realen Fall anwenden`, (t, c) => `Risiken und Nutzen (${t}) ${c} bewerten`, (t) => `Ergebnisse (${t}) für Fachfremde darstellen`, (t) => `Ein kleines Projekt entwerfen: ${t}`],
  it: [(t) => `Applicare i metodi fondamentali (${t}) a un caso reale`, (t, c) => `Valutare rischi e benefici (${t}) ${c}`, (t) => `Comunicare i risultati (${t}) a non specialisti`, (t) => `Progettare un piccolo progetto: ${t}`],
  es: [(t) => `Aplicar los métodos básicos (${t}) a un caso real`, (t, c) => `Evaluar riesgos y beneficios (${t}) ${c}`, (t) => `Comunicar resultados (${t}) a no especialistas`, (t) => `Diseñar un pequeño proyecto: ${t}`],
  nl: [(t) => `De kernmethoden (${t}) toepassen op een echte casus`, (t, c) => `Risico’s en baten (${t}) ${c} beoordelen`, (t) => `Resultaten (${t}) uitleggen aan niet-specialisten`, (t) => `Een klein project ontwerpen: ${t}`],
  pl: [(t) => `Stosować podstawowe metody (${t}) w rzeczywistym przypadku`, (t, c) => `Oceniać ryzyka i korzyści (${t}) ${c}`, (t) => `Przedstawiać wyniki (${t}) niespecjalistom`, (t) => `Zaprojektować mały projekt: ${t}`],
}

/** Languages of instruction, with how often they occur (per 20 offers). */
const LANGUAGE_SETS: Array<[Language[], number]> = [
  [['en'], 6],
  [['fr', 'en'], 2],
  [['fr'], 2],
  [['de', 'en'], 2],
  [['de'], 1],
  [['it'], 1],
  [['it', 'en'], 1],
  [['es', 'en'], 1],
  [['es'], 1],
  [['nl', 'en'], 1],
  [['pl', 'en'], 1],
  [['pl'], 1],
]
const LANGUAGE_WHEEL = LANGUAGE_SETS.flatMap(([set, weight]) => Array.from({ length: weight }, () => set))

const PARTICIPATION = ['online', 'onsite', 'blended', 'work_based', 'project_based', 'research_lab']
const ASSESSMENTS = ['written_exam', 'oral_exam', 'project', 'portfolio', 'assignment', 'quiz', 'practical', 'peer_assessment']
const ECTS = [1, 2, 3, 4, 5, 6, 7.5, 10]
const EQF = [5, 6, 6, 7, 7, 7, 8]

/** A cheap deterministic hash (FNV-1a, then mixed), so that each attribute varies on its own. */
export function hash(n: number, salt: string): number {
  let h = 0x811c9dc5
  const text = `${salt}:${n}`
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // FNV alone leaves the low bits of different salts correlated; murmur3's finaliser mixes them.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
const choose = <T>(list: readonly T[], n: number, salt: string): T => list[hash(n, salt) % list.length]!

export interface BenchInstitution {
  schac: string
  country: string
  alliances: string[]
}

function inLanguages(languages: Language[], make: (language: Language) => string): Record<string, string> {
  return Object.fromEntries(languages.map((language) => [language, make(language)]))
}

/** The content an institution would send for its offer number n (as in PUT or sync). */
export function benchOffer(n: number, institution: BenchInstitution): Record<string, unknown> {
  const topic = choose(TOPICS, n, 'topic')
  const context = choose(CONTEXTS, n, 'context')
  const taught = choose(LANGUAGE_WHEEL, n, 'languages')
  // Titles and texts in every language of instruction, and in English for most offers.
  const written: Language[] = taught.includes('en') || hash(n, 'english') % 3 === 0 ? [...new Set([...taught, 'en' as Language])] : taught
  const titleTemplate = hash(n, 'title') % TITLES.en.length
  const ects = choose(ECTS, n, 'ects')
  const hoursPerCredit = 25 + (hash(n, 'hours') % 6)
  const external = hash(n, 'qa') % 3 !== 0
  const outcomes = 2 + (hash(n, 'outcomes') % 3)
  const start = hash(n, 'start')
  return {
    title: inLanguages(written, (l) => TITLES[l][titleTemplate]!(topic.name[l], context[l])),
    description: inLanguages(written, (l) => DESCRIPTIONS[l][0]!(topic.name[l], context[l])),
    learningOutcomes: Array.from({ length: outcomes }, (_, i) => ({
      text: inLanguages(i === 0 ? written : written.slice(0, 1), (l) => OUTCOMES[l][i % OUTCOMES[l].length]!(topic.name[l], context[l])),
    })),
    ects,
    workloadHours: Math.round(ects * hoursPerCredit),
    eqfLevel: choose(EQF, n, 'eqf'),
    assessments: [{ type: choose(ASSESSMENTS, n, 'assessment') }],
    participation: [choose(PARTICIPATION, n, 'participation')],
    qualityAssurance: external
      ? { type: 'internal_and_external', agency: { name: 'National quality assurance agency', deqarAgencyId: String(10 + (hash(n, 'agency') % 40)) } }
      : { type: 'internal' },
    iscedFields: [topic.isced],
    languages: taught,
    startDate: `${2026 + (start % 2)}-${String(1 + (start % 12)).padStart(2, '0')}-01`,
    stackability:
      hash(n, 'stack') % 5 === 0
        ? { mode: 'stackable', towards: [{ title: { en: 'Alliance certificate' } }] }
        : { mode: 'stand_alone' },
    homepage: `https://${institution.schac}/micro-credentials/${n}`,
  }
}

/**
 * Search texts a portal user would type: one or two words of a topic or context, in any of
 * the languages, some with accents and capitals (the service folds them).
 */
export function benchQuery(n: number): string {
  const language = choose(BENCH_LANGUAGES, n, 'q-language')
  const phrase = hash(n, 'q-kind') % 4 === 0 ? choose(CONTEXTS, n, 'q-context')[language] : choose(TOPICS, n, 'q-topic').name[language]
  const words = phrase.split(/[\s:(),’']+/).filter((word) => word.length >= 4)
  if (words.length === 0) return phrase
  const first = hash(n, 'q-word') % words.length
  return hash(n, 'q-two') % 3 === 0 && first + 1 < words.length ? `${words[first]} ${words[first + 1]}` : words[first]!
}
