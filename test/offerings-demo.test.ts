import t from 'tap'
import { seedDemo } from '../src/demo/seed.js'
import { startTestApp } from './helpers/app.js'

// The README's "Runs" requests, on the demo data as seeded today (the walkthrough runs them on a server).
const ctx = await startTestApp(t)
const { app } = ctx
await seedDemo(ctx.database.handle.db)

const externalIds = async (query: string) =>
  (await app.inject({ method: 'GET', url: `/v1/offers?${query}` })).json().items.map((offer: { externalId: string }) => offer.externalId)

t.test('the demo offers\' runs, as the README shows them', async (t) => {
  const offer = (await app.inject({ method: 'GET', url: '/v1/institutions/unibo.it/offers/MC-DATA-LIT-2027' })).json()
  const runs = (await app.inject({ method: 'GET', url: `/v1/offers/${offer.id}/runs` })).json()
  t.same(runs.items.map((run: { runId: string; openForApplication: boolean }) => [run.runId, run.openForApplication]), [['PAST', false], ['NEXT', true]])
  t.same(await externalIds('openNow=true&mode=online&hasPlaces=true'), ['MC-DATA-LIT-2027', 'HY-CLIMATE-101'])
  t.same(await externalIds('openTo=ulb.be&mode=blended'), ['UT-MEDTECH-ML'])
  t.same(await externalIds('openNow=true'), ['MC-DATA-LIT-2027', 'KUL-AI-ETHICS', 'HY-CLIMATE-101', 'UT-CHALLENGE-ENERGY', 'UC3M-ENT-LAW', 'ULB-FR-LANG-B2'])
})
