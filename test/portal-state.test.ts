import t from 'tap'
import { toCsv } from '../src/portal/csv.js'
import { apiQuery, offerIdsIn, queryFromState, stateFromQuery } from '../src/portal/search-state.js'
import { statusRows } from '../src/portal/status-rows.js'

// The portal's pure parts (the browser runs them; test/portal-browser.test.ts drives the pages).

t.test('a search round-trips through the URL, and becomes the API\'s query', async (t) => {
  const state = stateFromQuery('?q=data%20science&eqfLevel=7&ectsMin=2&unknown=1&language=&alliance=una-europa&cursor=abc')
  t.same(state, { q: 'data science', eqfLevel: '7', ectsMin: '2', alliance: 'una-europa', cursor: 'abc' })
  t.equal(queryFromState(state), '?q=data+science&eqfLevel=7&ectsMin=2&alliance=una-europa&cursor=abc')
  t.equal(queryFromState({}), '')
  t.equal(queryFromState({ q: '  ' }), '', 'blank filters are dropped')
  t.same(apiQuery(state, 20), { limit: 20, q: 'data science', eqfLevel: 7, ectsMin: 2, alliance: 'una-europa', cursor: 'abc' })
  const runs = stateFromQuery('?openNow=true&mode=online&startsFrom=2027-01-01&openTo=ulb.be')
  t.equal(queryFromState(runs), '?openNow=true&startsFrom=2027-01-01&mode=online&openTo=ulb.be', 'run filters too, in a stable order')
  t.same(apiQuery(runs, 20), { limit: 20, openNow: 'true', startsFrom: '2027-01-01', mode: 'online', openTo: 'ulb.be' })
  t.same(apiQuery({ ectsMax: 'many' }, 5), { limit: 5, ectsMax: 'many' }, 'a value that is no number goes as typed: the API refuses it, naming the field')
})

t.test('offer ids are found in any pasted or uploaded text', async (t) => {
  const text = 'id,title\n3F2B8C1E-5D4A-4E7B-9C2D-1A6F0E8B7C35,"A"\n7c4e2a91-0b3d-4f6a-8e5c-2d1b9a7f6e40; 3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35 not-an-id'
  t.same(offerIdsIn(text), ['3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35', '7c4e2a91-0b3d-4f6a-8e5c-2d1b9a7f6e40'])
  t.same(offerIdsIn('nothing here'), [])
})

t.test('CSV quotes what needs it and defuses formulas', async (t) => {
  t.equal(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['=SUM(A1)', null], [1.5, true], ['-', undefined]]),
    'a,b\r\n"x, y","say ""hi"""\r\n\'=SUM(A1),\r\n1.5,true\r\n\'-,\r\n')
  t.equal(toCsv(['n'], [[-2]]), 'n\r\n-2\r\n', 'a negative number stays a number')
})

t.test('recognition status rows: one per decision in force, one for an offer without', async (t) => {
  const entry = {
    decisionId: '0b7e1c2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d',
    recognisingInstitution: 'kuleuven.be',
    purpose: 'credit_transfer' as const,
    outcome: 'partial' as const,
    creditsRecognised: 3,
    creditsMapped: 3,
    recognisedAs: [{ code: 'G0X12A', title: 'Data literacy', credits: 3 }],
    conditions: [],
    automatic: true,
    preApproval: 'pre_approved' as const,
    validFrom: '2026-09-01',
    validUntil: null,
    decidedAt: '2026-06-01T10:00:00Z',
    offerVersion: 1,
    covers: { fromVersion: 1, until: 'material_change' as const },
    offerChangedSince: [{ element: 'title' as const, material: false }, { element: 'ects' as const, material: true }],
    coversCurrentVersion: false,
  }
  const rows = statusRows([
    { offerId: 'a', found: true, currentVersion: 2, offerWithdrawn: false, recognitions: [entry] },
    { offerId: 'b', found: false, currentVersion: null, offerWithdrawn: false, recognitions: [] },
  ])
  t.equal(rows.length, 2)
  t.match(rows[0], { offerId: 'a', recognisingInstitution: 'kuleuven.be', outcome: 'partial', creditsRecognised: 3, recognisedAs: 'G0X12A Data literacy (3)', validFrom: '2026-09-01', coversCurrentVersion: false, offerChangedSince: 'title; ects (material)' })
  t.match(rows[1], { offerId: 'b', found: false, recognisingInstitution: null, outcome: null, coversCurrentVersion: null })
})
