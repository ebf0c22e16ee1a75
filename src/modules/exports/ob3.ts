import { ASSESSMENT_TYPES, EQF_LEVELS, ISCED_F_FIELDS } from '../../vocabularies/index.js'
import { firstText, type ExportSource } from './source.js'

/**
 * One offer as an Open Badges 3.0 Achievement, for issuers that put micro-credentials in
 * learners' wallets: achievementType MicroCredential, the credits, criteria (the homepage, and
 * the learning outcomes as the narrative), alignments to the ESCO skills and the EQF level, a
 * result description per assessment, and the provider as creator (a Profile whose id is a
 * URL). OB3 texts are plain strings: English where stated, else the first language. Pure.
 */
export const OB3_CONTEXTS = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] as const

type Node = Record<string, unknown>

function criteria(source: ExportSource): Node {
  const { homepage, learningOutcomes } = source.content
  const outcomes = (learningOutcomes ?? []).map((outcome) => firstText(outcome.text)).filter((text) => text !== undefined)
  return {
    ...(homepage ? { id: homepage } : {}),
    ...(outcomes.length ? { narrative: ['The learner is able to:', ...outcomes.map((text) => `- ${text}`)].join('\n') } : {}),
  }
}

function alignments(source: ExportSource): Node[] {
  const { eqfLevel, learningOutcomes } = source.content
  const skills = [...new Set((learningOutcomes ?? []).flatMap((outcome) => outcome.escoSkills ?? []))].map((url) => ({
    type: ['Alignment'],
    targetName: url.slice(url.lastIndexOf('/') + 1),
    targetUrl: url,
    targetType: 'ceasn:Competency',
    targetFramework: 'ESCO',
  }))
  const eqf = typeof eqfLevel === 'number' ? EQF_LEVELS.find((entry) => entry.code === String(eqfLevel)) : undefined
  return [
    ...skills,
    ...(eqf ? [{ type: ['Alignment'], targetName: `EQF ${eqf.label}`, targetUrl: eqf.uri, targetCode: eqf.code, targetFramework: 'European Qualifications Framework' }] : []),
  ]
}

export function ob3Achievement(source: ExportSource): Node {
  const c = source.content
  const provider = source.provider
  const [field] = c.iscedFields ?? []
  const [language] = c.languages ?? []
  return {
    '@context': [...OB3_CONTEXTS],
    id: source.uri,
    type: ['Achievement'],
    achievementType: 'MicroCredential',
    name: firstText(c.title) ?? '',
    description: firstText(c.description) ?? '',
    criteria: criteria(source),
    ...(c.ects !== undefined ? { creditsAvailable: c.ects } : {}),
    alignment: alignments(source),
    resultDescription: (c.assessments ?? []).map((assessment, index) => ({
      id: `${source.uri}#result-${index + 1}`,
      type: ['ResultDescription'],
      name: ASSESSMENT_TYPES.find((entry) => entry.code === assessment.type)!.label,
      resultType: 'Status',
    })),
    creator: {
      id: `${source.institutionsUri}${provider.schac}`,
      type: ['Profile'],
      name: firstText(provider.name) ?? provider.schac,
      ...(provider.website ? { url: provider.website } : {}),
      address: { type: ['Address'], addressCountryCode: provider.country },
    },
    ...(field !== undefined && ISCED_F_FIELDS.has(field) ? { fieldOfStudy: ISCED_F_FIELDS.get(field) } : {}),
    ...(language !== undefined ? { inLanguage: language } : {}),
  }
}
