import t from 'tap'
import { learnerRefCollisions, learnerRefPersonalData, normaliseLearnerRef } from '../src/modules/recognition/rules-learner.js'

t.test('a learner reference is compared in one form: NFKC, trimmed, lower case', async (t) => {
  const variants = ['LRN-DUP-1', 'LRN-DUP-1 ', ' LRN-DUP-1', 'lrn-dup-1', 'ＬＲＮ－ＤＵＰ－１', '\u3000LRN-DUP-1\t']
  t.same(new Set(variants.map(normaliseLearnerRef)), new Set(['lrn-dup-1']))
  t.equal(normaliseLearnerRef('urn:schac:personalUniqueCode:int:esi:unibo.it:A81F'), 'urn:schac:personaluniquecode:int:esi:unibo.it:a81f')
  t.equal(normaliseLearnerRef('ÉTU-1'), 'étu-1', 'letters beyond ASCII are lowered too')
  t.equal(normaliseLearnerRef('Ｅ\u0301'), 'é', 'composed after folding')
})

t.test('references with an e-mail address, a date or separate words are personal data', async (t) => {
  const personal = [
    'a.b@uni.eu', 'x@y.z', 'ａｌｉｃｅ＠ｕｎｉ．ｅｕ', 'id:alice@uni.eu',
    '2001-04-13', '1990-01-31T00:00', 'born-1990-01-31', '13.04.2001', '13/04/2001', '4-13-01', '2001/04/13', '20010413', 'stu20010413',
    'Alice Smith', 'Alice Smith 1990-01-31', 'a81f 3c9e',
  ]
  for (const reference of personal) t.ok(learnerRefPersonalData(reference), reference)
  const pseudonyms = ['a81f3c9e', 'urn:schac:personalUniqueCode:int:esi:unibo.it:123', 'STU-2027-000451', '8f14e45f-ceea-467f-a0e6-1b5c8c1f3a2b', '12345678', ' LRN-DUP-1 ']
  for (const reference of pseudonyms) t.notOk(learnerRefPersonalData(reference), reference)
  t.match(learnerRefPersonalData('Alice Smith'), /spaces/)
  t.match(learnerRefPersonalData('x@y.z'), /e-mail/)
  t.match(learnerRefPersonalData('1990-01-31T00:00'), /date/)
  t.match(learnerRefPersonalData('\u3000\u3000'), /empty/, 'nothing but (fullwidth) spaces')
})

t.test('collisions: decisions whose references are one learner once normalised', async (t) => {
  const row = (id: string, learnerRef: string, overrides: Record<string, string> = {}) => ({
    id, recognisingInstitution: 'kuleuven.be', offerId: 'offer-1', purpose: 'credit_transfer', learnerRef, ...overrides,
  })
  const collisions = learnerRefCollisions([
    row('d1', 'LRN-DUP-1'),
    row('d2', 'lrn-dup-1 '),
    row('d3', 'ＬＲＮ－ＤＵＰ－１'),
    row('d4', 'LRN-DUP-2'),
    row('d5', 'LRN-DUP-1', { purpose: 'exemption' }),
    row('d6', 'LRN-DUP-1', { recognisingInstitution: 'helsinki.fi' }),
  ])
  t.same(collisions, [{
    recognisingInstitution: 'kuleuven.be',
    offerId: 'offer-1',
    purpose: 'credit_transfer',
    learnerKey: 'lrn-dup-1',
    decisions: [{ id: 'd1', learnerRef: 'LRN-DUP-1' }, { id: 'd2', learnerRef: 'lrn-dup-1 ' }, { id: 'd3', learnerRef: 'ＬＲＮ－ＤＵＰ－１' }],
  }])
  t.same(learnerRefCollisions([row('d1', 'a'), row('d2', 'b')]), [])
})
