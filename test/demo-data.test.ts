import t from 'tap'
import { DEQAR_AGENCY_IDS, DEMO_OFFERS, EXAMPLE_ID_NOTE } from '../src/demo/offers.js'
import { DEMO_ALLIANCES, DEMO_INSTITUTIONS } from '../src/demo/registry.js'
import { daysFrom, demoRuns } from '../src/demo/runs.js'
import { checkRunRules, isOpenForApplication, todayUtc, unknownInstitutionErrors } from '../src/modules/catalogue/runs-rules.js'
import { checkCompliance } from '../src/modules/catalogue/compliance.js'
import { withDefaults } from '../src/modules/catalogue/content.js'
import { checkOfferRules } from '../src/modules/catalogue/rules.js'
import type { OfferContent } from '../src/modules/catalogue/index.js'

const members = (slug: string) => DEMO_ALLIANCES.find((alliance) => alliance.slug === slug)!.members

t.test('Leiden University left EUniWell in 2023 and is in Una Europa', async (t) => {
  t.ok(members('una-europa').includes('leidenuniv.nl'))
  t.notOk(members('euniwell').includes('leidenuniv.nl'))
})

t.test('KU Leuven\'s quality assurance is internal and external, by NVAO, whose DEQAR agency id is 37', async (t) => {
  const offers = DEMO_OFFERS.filter((offer) => offer.institution === 'kuleuven.be' && offer.offer.qualityAssurance !== undefined)
  t.ok(offers.length > 0)
  for (const { offer } of offers) {
    t.equal(offer.qualityAssurance?.type, 'internal_and_external')
    t.match(offer.qualityAssurance?.agency, { name: /^NVAO/, deqarAgencyId: '37' })
  }
  t.same(DEQAR_AGENCY_IDS.nvao, { id: '37', verified: true })
})

t.test('every DEQAR id that was not looked up is marked as an example where the offer shows it', async (t) => {
  const verified = new Set<string>(Object.values(DEQAR_AGENCY_IDS).filter((agency) => agency.verified).map((agency) => agency.id))
  const stating = DEMO_OFFERS.filter(({ offer }) => offer.qualityAssurance?.agency?.deqarAgencyId !== undefined)
  t.ok(stating.length >= 5)
  for (const { externalId, offer } of stating) {
    const qa = offer.qualityAssurance!
    const marked = qa.description?.en?.includes(EXAMPLE_ID_NOTE) ?? false
    t.equal(marked, !verified.has(qa.agency!.deqarAgencyId!), `${externalId}: ${qa.agency!.deqarAgencyId}`)
    t.equal(qa.agency!.deqarReportId, undefined, `${externalId}: no report id that could not be looked up`)
  }
})

t.test('every demo offer keeps the rules of now; every published one states every Annex I element', async (t) => {
  for (const { institution, externalId, offer } of DEMO_OFFERS) {
    const { status, alliances: _alliances, ...input } = offer
    const { country } = DEMO_INSTITUTIONS.find((candidate) => candidate.schac === institution)!
    const content = withDefaults(input as OfferContent, { schac: institution, country })
    t.same(checkOfferRules(content), [], externalId)
    if (status !== 'draft') t.same(checkCompliance(content).missing.map((m) => m.field), [], externalId)
  }
})

t.test('demo runs keep the rules and show runs past, under way and to come, open and closed', async (t) => {
  const today = new Date('2026-12-01T12:00:00Z')
  const runs = demoRuns(daysFrom(today))
  const day = todayUtc(today)
  const registered = new Set(DEMO_INSTITUTIONS.map((institution) => institution.schac))
  for (const { institution, externalId, runId, run } of runs) {
    const offer = DEMO_OFFERS.find((candidate) => candidate.institution === institution && candidate.externalId === externalId)
    t.ok(offer, `${externalId}/${runId}: a demo offer`)
    t.not(offer!.offer.status, 'draft', `${externalId}/${runId}: of a published offer`)
    t.same(checkRunRules(run, { participation: offer!.offer.participation }), [], `${externalId}/${runId}`)
    t.same(unknownInstitutionErrors(run, registered), [], `${externalId}/${runId}: names registered institutions`)
  }
  const published = DEMO_OFFERS.filter(({ offer }) => offer.status !== 'draft')
  t.ok(new Set(runs.map((run) => run.externalId)).size >= published.length - 1, 'most demo offers have runs')
  t.ok(runs.some(({ run }) => run.endDate < day), 'a past run')
  t.ok(runs.some(({ run }) => run.startDate <= day && day <= run.endDate), 'a run under way')
  t.ok(runs.some(({ run }) => run.startDate > day), 'a run to come')
  t.ok(runs.some(({ run }) => isOpenForApplication(run, day)), 'a run open for application')
  t.ok(runs.some(({ run }) => run.application !== undefined && run.application.closes < day), 'one whose applications closed')
  t.ok(runs.some(({ run }) => run.application !== undefined && run.application.opens > day), 'one whose applications are not open yet')
  t.ok(runs.some(({ run }) => run.mode === 'online') && runs.some(({ run }) => run.location !== undefined), 'online and on site')
  t.ok(runs.some(({ run }) => (run.fees ?? []).some((fee) => fee.amount > 0)), 'fees')
  t.same(daysFrom(new Date('2027-03-01T23:59:00Z'))(-1), '2027-02-28')
})
