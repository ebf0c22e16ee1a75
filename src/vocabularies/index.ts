import { codesOf, vocabulary } from './elm.js'

export { ISCED_F_FIELDS, iscedAncestors, isIscedField } from './isced-f.js'

/** EQF levels 1–8. */
export const EQF_LEVELS = vocabulary(
  'http://data.europa.eu/snb/eqf/',
  [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [String(n), String(n), `EQF level ${n}`] as const),
)

/** QF-EHEA cycles and the EQF level each corresponds to. */
export const QF_EHEA_CYCLES = [
  { code: 'short', eqfLevel: 5, label: 'Short cycle' },
  { code: 'first', eqfLevel: 6, label: 'First cycle (bachelor)' },
  { code: 'second', eqfLevel: 7, label: 'Second cycle (master)' },
  { code: 'third', eqfLevel: 8, label: 'Third cycle (doctorate)' },
] as const
export type QfEheaCycle = (typeof QF_EHEA_CYCLES)[number]['code']

/** Form of participation (ELM learning-assessment / mode). */
export const PARTICIPATION_FORMS = vocabulary('http://data.europa.eu/snb/learning-assessment/', [
  ['online', '920fbb3cbe', 'Online'],
  ['onsite', '9191af2ed9', 'Presential'],
  ['blended', 'e92d221e4d', 'Blended'],
  ['work_based', '729f3bed4b', 'Work-based'],
  ['project_based', '7813801c77', 'Project-based'],
  ['research_lab', 'ed4c557045', 'Research / laboratory'],
] as const)
export const PARTICIPATION_CODES = codesOf(PARTICIPATION_FORMS)

/** Type of assessment (ELM assessment). */
export const ASSESSMENT_TYPES = vocabulary('http://data.europa.eu/snb/assessment/', [
  ['written_exam', '6e6cb2cc78', 'Written exam'],
  ['oral_exam', 'd30284d7df', 'Oral exam'],
  ['practical', '6a4db9f11d', 'Practical'],
  ['project', '795dac4096', 'Project'],
  ['portfolio', '4f03b91c0e', 'Portfolio'],
  ['assignment', '2939dae15f', 'Assignment'],
  ['continuous', '3484bd7e51', 'Continuous assessment'],
  ['artefact', 'de4d165a6c', 'Artefact'],
  ['peer_assessment', '19a2e5e671', 'Peer assessment'],
  ['quiz', 'b1b68f6735', 'Quiz'],
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

/** DEQAR report decisions. */
export const DEQAR_DECISIONS = [
  { code: 1, label: 'positive' },
  { code: 2, label: 'positive with conditions' },
  { code: 3, label: 'negative' },
  { code: 4, label: 'not applicable' },
] as const

/** ECTS: one credit is 25–30 hours of student work (ECTS Users' Guide 2015). */
export const ECTS = {
  uri: 'http://data.europa.eu/snb/education-credit/6fcec5c5af',
  hoursPerCreditMin: 25,
  hoursPerCreditMax: 30,
} as const
