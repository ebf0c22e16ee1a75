import { Type } from 'typebox'

/** A JSON-LD document: its context, and the node it describes (open: the mapping decides the rest). */
export const JsonLdDocument = (description: string) =>
  Type.Object(
    {
      '@context': Type.Unknown({ description: 'The JSON-LD context: inline for ELM, the VC 2.0 and OB 3.0.3 context URLs for OB3' }),
      id: Type.String({ format: 'uri' }),
      type: Type.Union([Type.String(), Type.Array(Type.String())]),
    },
    { additionalProperties: true, description },
  )

export const ElmDocument = JsonLdDocument(
  'An ELM LearningOpportunity whose learningAchievementSpecification is a Qualification (with its Organisation and ' +
    'Accreditation nodes), valid against the ELM LOQ SHACL shapes',
)
export const Ob3Document = JsonLdDocument('An Open Badges 3.0 Achievement (achievementType MicroCredential) with its creator Profile')
