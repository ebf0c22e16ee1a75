import type { Database } from '../db/client.js'
import { ANONYMOUS, actingFor } from '../lib/caller.js'
import { createCatalogueService } from '../modules/catalogue/index.js'
import { runWrite } from '../modules/journal/index.js'
import { createRecognitionService, type DecisionInput } from '../modules/recognition/index.js'
import { DEMO_OFFERS } from './offers.js'

/**
 * Demo recognition decisions between demo institutions, as registrars would sign them, each
 * saying who decided and what a student system books: a full ex-ante policy (extra credit
 * booked as an elective rather than called a difference), a policy
 * that does not pre-approve (with where to apply for an individual assessment), an individual
 * partial decision superseded after an upheld appeal, one bound to the offer version in force
 * when the learner's credential was issued, one covering two versions, and one whose offer changed since.
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
    recognisedAs: [
      {
        code: 'G0Z12A',
        title: 'Research data management',
        credits: 3,
        programme: 'Master of Statistics and Data Science',
        losId: 'kuleuven.be:los:G0Z12A',
        componentType: 'elective',
        academicYear: '2027/2028',
        term: 'semester 2',
        gradeConversion: { rule: 'Bologna grades 18–30 convert to 10–20 by the faculty\'s ECTS grading table for 2026–2027' },
      },
    ],
    decidingBody: 'Examination Committee, Master of Statistics and Data Science',
    contact: { email: 'recognition@wis.kuleuven.be', url: 'https://www.kuleuven.be/english/education/recognition' },
    policyUrl: 'https://www.kuleuven.be/english/education/recognition-policy',
  })

  // 4 ECTS against a 3-ECTS local module: the extra credit transfers as an elective; more credit is not a substantial difference.
  await decide('helsinki.fi', {
    offerId: await offerId('kuleuven.be', 'KUL-AI-ETHICS'),
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 4,
    recognisedAs: [
      { code: 'FIL-312', title: 'Ethics of technology', credits: 3, componentType: 'compulsory' },
      { code: 'FIL-VAPAA', title: 'Free elective studies in philosophy', credits: 1, componentType: 'elective' },
    ],
    decidingBody: 'Faculty of Arts, Head of Degree Programme in Philosophy',
    contact: { email: 'hum-studies@helsinki.fi' },
  })

  // A policy that does not pre-approve the exemption: nobody is refused, holders apply for an individual assessment.
  await decide('uni-tuebingen.de', {
    offerId: await offerId('uc3m.es', 'UC3M-ENT-LAW'),
    scope: 'ex_ante',
    purpose: 'exemption',
    outcome: 'none',
    creditsRecognised: 0,
    substantialDifferences: [
      { element: 'learning_outcomes', description: 'German data protection law (BDSG) is not among the outcomes; the module the exemption would replace assesses it.' },
    ],
    justification: 'The exemption replaces a module whose outcomes include national data protection law, which the offer does not cover.',
    individualAssessment: {
      apply: 'Holders who studied the BDSG elsewhere apply to the Prüfungsausschuss der Juristischen Fakultät with their transcript.',
      url: 'https://uni-tuebingen.de/en/faculties/faculty-of-law/',
    },
    laterMeasures: 'Complete the BDSG supplement (1 ECTS) and apply for an individual assessment.',
    decidingBody: 'Prüfungsausschuss der Juristischen Fakultät',
    policyUrl: 'https://uni-tuebingen.de/en/study/recognition/',
    // The policy covers the first two versions of the offer, whatever changes in the second.
    covers: { fromVersion: 1, until: { version: 2 } },
  })

  // One learner's credential, issued today: the decision binds to the version of the offer in force that day.
  await decide('utwente.nl', {
    offerId: await offerId('kuleuven.be', 'KUL-AI-ETHICS'),
    scope: 'individual',
    learnerRef: 'ut-s3141592',
    credentialRef: 'urn:credential:kuleuven.be:ai-ethics:0217',
    credentialIssuedOn: new Date().toISOString().slice(0, 10),
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 4,
    recognisedAs: [{ code: '201400169', title: 'Ethics of technology', credits: 4, componentType: 'elective' }],
    decidingBody: 'Examination Board of the Faculty of Behavioural, Management and Social Sciences',
    contact: { email: 'eb-bms@utwente.nl' },
  })

  // Twente decides individual applications within eight weeks of their being complete.
  await runWrite(db, actingFor('utwente.nl'), (write) => recognition.putSettings(write, 'utwente.nl', 'P8W'))

  // One learner's application: partial at first, then full once the appeal was upheld.
  const climate = await offerId('helsinki.fi', 'HY-CLIMATE-101')
  const first = await decide('utwente.nl', {
    offerId: climate,
    scope: 'individual',
    learnerRef: 'ut-s2718281',
    credentialRef: 'urn:credential:helsinki.fi:climate-101:8841',
    purpose: 'credit_transfer',
    outcome: 'partial',
    creditsRecognised: 1,
    recognisedAs: [{ code: '202300117', title: 'Climate and society (science part)', credits: 1 }],
    substantialDifferences: [
      { element: 'learning_outcomes', description: 'Evaluating climate policy instruments, an outcome of the local course, was not shown.' },
    ],
    justification: 'The science outcomes match the local course; its policy-evaluation outcome was not evidenced.',
    appeal: { body: 'Examination Board of the Faculty of Behavioural, Management and Social Sciences', period: 'P6W' },
    laterMeasures: 'Submit the peer-assessed policy essay of the course to the Examination Board.',
    decidingBody: 'Examination Board of the Faculty of Behavioural, Management and Social Sciences',
    contact: { email: 'eb-bms@utwente.nl' },
    applicationReceivedOn: '2026-09-14',
    applicationCompleteOn: '2026-09-21',
    decidedAt: '2026-10-05T09:00:00Z',
  })
  await decide('utwente.nl', {
    offerId: climate,
    scope: 'individual',
    learnerRef: 'ut-s2718281',
    credentialRef: 'urn:credential:helsinki.fi:climate-101:8841',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 2,
    recognisedAs: [{ code: '202300117', title: 'Climate and society', credits: 2 }],
    decidedAt: '2026-11-02T10:00:00Z',
    supersedes: first.id,
    supersessionReason: { code: 'appeal_upheld', note: 'The peer-assessed essay evaluates two climate policy instruments: the outcome is met.' },
    appealOutcome: { result: 'upheld', decidedOn: '2026-10-30' },
    decidingBody: 'Examination Board of the Faculty of Behavioural, Management and Social Sciences',
  })

  // The offer changes materially after Leuven's decision (a learning outcome more): registrars see
  // it in offerChangedSince, and that the decision no longer covers the current version.
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
