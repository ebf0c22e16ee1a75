import type { Database } from '../db/client.js'
import { ANONYMOUS, actingFor } from '../lib/caller.js'
import { createCatalogueService } from '../modules/catalogue/index.js'
import { runWrite } from '../modules/journal/index.js'
import { createRecognitionService, type DecisionInput } from '../modules/recognition/index.js'
import { DEMO_OFFERS } from './offers.js'

const appeal = (body: string) => ({ body, deadline: '2027-12-31' })

/**
 * Demo recognition decisions between demo institutions: a full one, a partial one with
 * substantial differences, a refusal, a superseded one, and one whose offer changed since.
 */
export async function seedDemoDecisions(db: Database): Promise<void> {
  const catalogue = createCatalogueService(db)
  const recognition = createRecognitionService(db)
  const offerId = async (institution: string, externalId: string) =>
    (await catalogue.getByExternalId({ ...ANONYMOUS, institution }, institution, externalId)).id
  const decide = (institution: string, input: DecisionInput) => runWrite(db, actingFor(institution), (write) => recognition.decide(write, input))

  const dataLiteracy = await offerId('unibo.it', 'MC-DATA-LIT-2027')
  await decide('kuleuven.be', {
    offerId: dataLiteracy,
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 3,
    recognisedAs: [{ code: 'G0Z12A', title: 'Research data management', credits: 3, programme: 'Master of Statistics and Data Science' }],
  })

  await decide('helsinki.fi', {
    offerId: await offerId('kuleuven.be', 'KUL-AI-ETHICS'),
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'partial',
    creditsRecognised: 3,
    recognisedAs: [{ code: 'FIL-312', title: 'Ethics of technology', credits: 3 }],
    substantialDifferences: [
      { element: 'workload', description: 'The local module is 3 ECTS; the remaining credit has no local counterpart.' },
    ],
    justification: 'The learning outcomes match the local module, whose workload is 3 ECTS.',
    appeal: appeal('Faculty of Arts, Academic Appeals Board'),
    laterMeasures: 'The remaining credit can be recognised as an elective on request.',
  })

  await decide('uni-tuebingen.de', {
    offerId: await offerId('uc3m.es', 'UC3M-ENT-LAW'),
    scope: 'ex_ante',
    purpose: 'exemption',
    outcome: 'none',
    creditsRecognised: 0,
    substantialDifferences: [
      { element: 'learning_outcomes', description: 'German data protection law (BDSG) is not covered; the module requires it.' },
    ],
    justification: 'The exemption covers a module whose outcomes include national data protection law.',
    appeal: appeal('Prüfungsausschuss der Juristischen Fakultät'),
    laterMeasures: 'Complete the BDSG supplement (1 ECTS) and apply again.',
  })

  const climate = await offerId('helsinki.fi', 'HY-CLIMATE-101')
  const first = await decide('utwente.nl', {
    offerId: climate,
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'partial',
    creditsRecognised: 1,
    substantialDifferences: [{ element: 'profile', description: 'Assessment by quiz only did not meet the programme profile.' }],
    justification: 'Only the science part matched the local course.',
    appeal: appeal('Examination Board'),
    laterMeasures: 'Submit the peer-assessed essay for review.',
  })
  await decide('utwente.nl', {
    offerId: climate,
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 2,
    recognisedAs: [{ code: '202300117', title: 'Climate and society', credits: 2 }],
    supersedes: first.id,
  })

  // The offer changes after Leuven's decision: registrars see offerChangedSince.
  const original = DEMO_OFFERS.find((o) => o.externalId === 'MC-DATA-LIT-2027')!.offer
  const revised = {
    ...original,
    learningOutcomes: [
      ...(original.learningOutcomes ?? []),
      { text: { en: 'Publish a data set in a trusted repository with a persistent identifier' } },
    ],
  }
  await runWrite(db, actingFor('unibo.it'), (write) => catalogue.putOffer(write, 'unibo.it', 'MC-DATA-LIT-2027', revised, {}))
}
