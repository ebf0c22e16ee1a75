import { codesOf, vocabulary } from './elm.js'

export { COUNTRIES, countryUri } from './countries.js'
export { ISCED_F, ISCED_F_FIELDS, iscedAncestors, isIscedField } from './isced-f.js'
export { LANGUAGES, iso6391Of, iso6392Of, languageUri } from './languages.js'
export { NQF_LEVELS, isNqfLevel } from './nqf.js'
export { NUTS_CODES, NUTS_URI, nutsCountry } from './nuts.js'

/*
 * Each table below is the EU's list as the ELM LOQ schema enumerates it (xsd/loq/cv/), with
 * the code the API stores beside each URI; test/vocabularies.test.ts compares them.
 */

/** EQF levels 1–8. */
export const EQF_LEVELS = vocabulary(
  'http://data.europa.eu/snb/eqf/',
  [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [String(n), String(n), `Level ${n}`] as const),
)

/** Learning setting: formal or non-formal learning. */
export const LEARNING_SETTINGS = vocabulary('http://data.europa.eu/snb/learning-setting/', [
  ['formal', '6fd4685715', 'formal learning'],
  ['non_formal', 'e207a81fc7', 'non-formal learning'],
] as const)
export const LEARNING_SETTING_CODES = codesOf(LEARNING_SETTINGS)

/** QF-EHEA cycles and the EQF level each corresponds to. */
export const QF_EHEA_CYCLES = [
  { code: 'short', eqfLevel: 5, label: 'Short cycle' },
  { code: 'first', eqfLevel: 6, label: 'First cycle (bachelor)' },
  { code: 'second', eqfLevel: 7, label: 'Second cycle (master)' },
  { code: 'third', eqfLevel: 8, label: 'Third cycle (doctorate)' },
] as const
export type QfEheaCycle = (typeof QF_EHEA_CYCLES)[number]['code']

/** Form of participation, the ELM modes of learning and assessment. */
export const PARTICIPATION_FORMS = vocabulary('http://data.europa.eu/snb/learning-assessment/', [
  ['online', '920fbb3cbe', 'Online'],
  ['onsite', '9191af2ed9', 'Presential'],
  ['blended', 'e92d221e4d', 'Blended'],
  ['work_based', '729f3bed4b', 'Workbased'],
  ['project_based', '7813801c77', 'Project based'],
  ['research_lab', 'ed4c557045', 'Research-Lab based'],
] as const)
export const PARTICIPATION_CODES = codesOf(PARTICIPATION_FORMS)

/** Type of assessment: the 14 ELM learning assessment types. */
export const ASSESSMENT_TYPES = vocabulary('http://data.europa.eu/snb/assessment/', [
  ['written_exam', '6e6cb2cc78', 'written examination'],
  ['oral_exam', 'd30284d7df', 'oral examination'],
  ['practical', '6a4db9f11d', 'practical assessment'],
  ['project', '795dac4096', 'project work'],
  ['portfolio', '4f03b91c0e', 'portfolio'],
  ['assignment', '2939dae15f', 'marked assignment'],
  ['continuous', '3484bd7e51', 'continuous evaluation'],
  ['artefact', 'de4d165a6c', 'artefact assessment'],
  ['peer_assessment', '19a2e5e671', 'peer assessment'],
  ['quiz', 'b1b68f6735', 'quiz'],
  ['group_performance', '56539a6507', 'group performance'],
  ['attendance', '7331eb4762', 'level of attendance'],
  ['peer_review', '812e3b0ae1', 'peer review'],
  ['problem_based_learning', 'c4256a2726', 'problem based learning'],
] as const)
export const ASSESSMENT_CODES = codesOf(ASSESSMENT_TYPES)

/** Learning opportunity type; the default is a short learning programme. */
export const LEARNING_OPPORTUNITY_TYPES = vocabulary('http://data.europa.eu/snb/learning-opportunity/', [
  ['short_learning_programme', '74a4a268e8', 'Short learning programme'],
  ['course', '05053c1cbe', 'Course'],
  ['mooc', '17744a2647', 'MOOC'],
] as const)
export const LEARNING_OPPORTUNITY_CODES = codesOf(LEARNING_OPPORTUNITY_TYPES)
export const DEFAULT_LEARNING_OPPORTUNITY_TYPE = 'short_learning_programme'

/** Supervision and identity verification during assessment (Annex I, 13). */
export const SUPERVISION_OPTIONS = [
  { code: 'unsupervised_no_id', label: 'Unsupervised, with no identity verification' },
  { code: 'supervised_no_id', label: 'Supervised, with no identity verification' },
  { code: 'supervised_online_id', label: 'Supervised online, with identity verification' },
  { code: 'supervised_onsite_id', label: 'Supervised onsite, with identity verification' },
] as const
export const SUPERVISION_CODES = SUPERVISION_OPTIONS.map((option) => option.code)

/** Type of quality assurance (Annex I, 11). */
export const QA_TYPES = ['internal', 'external', 'internal_and_external'] as const
export type QaType = (typeof QA_TYPES)[number]

/** What an external quality assurance review accredits, and the ELM accreditation type that says so. */
export const QA_LEVELS_VOCABULARY = vocabulary('http://data.europa.eu/snb/accreditation/', [
  ['institutional', 'bb4618238e', 'Institutional Quality Assurance'],
  ['programme', '820101cba6', 'Program Quality Assurance'],
] as const)
export const QA_LEVELS = codesOf(QA_LEVELS_VOCABULARY)

/** DEQAR report decisions. */
export const DEQAR_DECISIONS = [
  { code: 1, label: 'positive' },
  { code: 2, label: 'positive with conditions' },
  { code: 3, label: 'negative' },
  { code: 4, label: 'not applicable' },
] as const

/** Credit systems: ECTS for higher education, ECVET for vocational education and training. */
export const CREDIT_SYSTEMS = vocabulary('http://data.europa.eu/snb/education-credit/', [
  ['ects', '6fcec5c5af', 'European Credit Transfer System'],
  ['ecvet', '60b314e826', 'European credit system for vocational education and training'],
] as const)

/** ECTS: one credit is 25–30 hours of student work (ECTS Users' Guide 2015). */
export const ECTS = {
  uri: CREDIT_SYSTEMS[0]!.uri,
  hoursPerCreditMin: 25,
  hoursPerCreditMax: 30,
} as const
