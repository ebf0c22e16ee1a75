import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { csvCellOf, parseOffersCsv } from '../scripts/lib/offers-csv.js'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript, startServer } from './helpers/process.js'

t.test('CSV columns map onto offers', async (t) => {
  const { offers: [offer], problems } = parseOffersCsv(
    'externalId,title.en,title.fr,learningOutcomes.en,learningOutcomes.fr,ects,eqfLevel,assessments,awardingBodies,qualityAssurance.type,qualityAssurance.agency.name,stackability,stackableTowards.en\n' +
      'X1,"Data, ethics",Données,Outcome one | Outcome two,Résultat un | Résultat deux,2.5,not_applicable,project;quiz,unibo.it,external,ANVUR,stackable,MSc A | MSc B\n',
  )
  t.same(offer, {
    externalId: 'X1',
    ects: 2.5,
    eqfLevel: 'not_applicable',
    title: { en: 'Data, ethics', fr: 'Données' },
    learningOutcomes: [
      { text: { en: 'Outcome one', fr: 'Résultat un' } },
      { text: { en: 'Outcome two', fr: 'Résultat deux' } },
    ],
    assessments: [{ type: 'project' }, { type: 'quiz' }],
    awardingBodies: [{ schac: 'unibo.it' }],
    qualityAssurance: { type: 'external', agency: { name: 'ANVUR' } },
    stackability: { mode: 'stackable', towards: [{ title: { en: 'MSc A' } }, { title: { en: 'MSc B' } }] },
  })
  t.same(problems, [])
})

t.test('several items in a cell keep their places, empty ones included', async (t) => {
  const { offers, problems } = parseOffersCsv(
    'externalId,learningOutcomes.en,learningOutcomes.it,stackability,stackableTowards.en,stackableTowards.fr\n' +
      'X1,Outcome A | Outcome B, | Risultato B,stackable,MSc A | ,| Master B\n',
  )
  t.same(problems, [])
  t.same(offers[0]!.learningOutcomes, [{ text: { en: 'Outcome A' } }, { text: { en: 'Outcome B', it: 'Risultato B' } }], 'the Italian text stays with outcome B')
  t.same(offers[0]!.stackability, { mode: 'stackable', towards: [{ title: { en: 'MSc A' } }, { title: { fr: 'Master B' } }] })
})

t.test('numbers are decimal, written out; each bad cell is reported by row and column', async (t) => {
  const { offers, problems } = parseOffersCsv(
    'externalId,ects,workloadHours,eqfLevel,learningOutcomes.en,learningOutcomes.it,assessments\n' +
      'OK,2.5,62.5,7,A | B,A-it | B-it,project;quiz\n' +
      '\n' +
      'HEX,0x3,0b1001011,0x7,A,,project\n' +
      'EXP,1e1,2,5,"A\nstill A | ",,project;;quiz\n' +
      'WORDS,three,"2,5",eight,A,,oral_exam\n',
  )
  t.equal(offers.length, 4)
  t.same(offers[0], { externalId: 'OK', ects: 2.5, workloadHours: 62.5, eqfLevel: 7, learningOutcomes: [{ text: { en: 'A', it: 'A-it' } }, { text: { en: 'B', it: 'B-it' } }], assessments: [{ type: 'project' }, { type: 'quiz' }] })
  t.same(
    problems.map((p) => `row ${p.row} ${p.column}`),
    [
      'row 4 ects',
      'row 4 workloadHours',
      'row 4 eqfLevel',
      'row 5 ects',
      'row 5 learningOutcomes.*',
      'row 5 assessments',
      'row 6 ects',
      'row 6 workloadHours',
      'row 6 eqfLevel',
    ],
    'the blank line counts as a row, as in a spreadsheet; no hexadecimal, binary or exponent is read as a number',
  )
  t.match(problems[0], { row: 4, line: 4, column: 'ects', detail: /"0x3" is not a decimal number/ })
  t.match(problems.find((p) => p.column === 'learningOutcomes.*'), { row: 5, line: 5, detail: /item 2 is empty in every language/ })
  t.match(problems.find((p) => p.row === 5 && p.column === 'assessments'), { detail: /item 2 is empty/ })
  t.match(problems.find((p) => p.row === 6 && p.column === 'workloadHours'), { line: 7, detail: /decimal point/ }, 'the line where the row starts')
})

t.test('a field the server refuses is named by its CSV column', async (t) => {
  t.same(csvCellOf('/ects'), { column: 'ects' })
  t.same(csvCellOf('/title/fr'), { column: 'title.fr' })
  t.same(csvCellOf('/learningOutcomes/1/text/it'), { column: 'learningOutcomes.it', item: 2 })
  t.same(csvCellOf('/assessments/0/type'), { column: 'assessments', item: 1 })
  t.same(csvCellOf('/awardingBodies/2/schac'), { column: 'awardingBodies', item: 3 })
  t.same(csvCellOf('/qualityAssurance/agency/deqarAgencyId'), { column: 'qualityAssurance.agency.deqarAgencyId' })
  t.same(csvCellOf('/qualityAssurance/description/en'), { column: 'qualityAssurance.description.en' })
  t.same(csvCellOf('/stackability/towards/0/title/en'), { column: 'stackableTowards.en', item: 1 })
  t.same(csvCellOf('/stackability/towards'), { column: 'stackability' })
})

t.test('the script reports bad cells and sends nothing', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-csv-'))
  const file = path.join(dir, 'offers.csv')
  writeFileSync(file, 'externalId,ects,learningOutcomes.en\nX1,0x3,A\nX2,2,A\n')
  // Nothing listens on port 9: a request would fail differently.
  const run = await runScript('scripts/sync.ts', ['--institution', 'unibo.it', '--key', 'psl_x', '--url', 'http://127.0.0.1:9', '--file', file], {})
  t.equal(run.code, 1)
  t.match(run.stderr, /1 bad cell in .*offers\.csv; nothing was sent/)
  t.match(run.stderr, /row 2, column ects: "0x3" is not a decimal number/)
  t.notMatch(run.stderr, /cannot reach/)
})

t.test('the sync script against a running server, with both example files', async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const server = await startServer({ ...databaseEnv(database.url), SEED_DEMO: 'true' })
  t.teardown(() => {
    server.child.kill('SIGTERM')
    return server.exited
  })
  const key = /unibo\.it catalogue sync \(catalogue:write\)\s+(psl_\S+)/.exec(server.output())?.[1]
  t.ok(key, 'the demo key of unibo.it')
  const sync = (...args: string[]) =>
    runScript('scripts/sync.ts', ['--institution', 'unibo.it', '--key', key!, '--url', server.url, ...args], {})

  const csv = await sync('--file', 'scripts/examples/offers.csv')
  t.equal(csv.code, 0, csv.stderr)
  t.match(csv.stdout, /done: created 3, updated 0, unchanged 0, withdrawn 0/)
  t.match(csv.stderr, /read 3 offers from scripts\/examples\/offers\.csv/)

  const again = await sync('--file', 'scripts/examples/offers.csv')
  t.match(again.stdout, /done: created 0, updated 0, unchanged 3, withdrawn 0/)

  const dry = await sync('--file', 'scripts/examples/offers.json', '--mode', 'replace', '--dry-run')
  t.equal(dry.code, 0)
  t.match(dry.stdout, /dry run, nothing written: would have created 2, updated 0, unchanged 0, withdrawn 4/)

  const json = await sync('--file', 'scripts/examples/offers.json', '--mode', 'replace', '--json')
  t.equal(json.code, 0)
  const summary = JSON.parse(json.stdout)
  t.equal(summary.created.length, 2)
  t.equal(summary.withdrawn.length, 4, 'the demo offers and the CSV offers not in the file, drafts excepted')

  const search = await fetch(`${server.url}/v1/offers?institution=unibo.it&limit=100`)
  const published = ((await search.json()) as { items: Array<{ externalId: string }> }).items.map((o) => o.externalId).sort()
  t.same(published, ['MC-DIGITAL-HUMANITIES', 'MC-ROBOTICS-LAB'])

  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-csv-'))
  const refused = path.join(dir, 'refused.csv')
  writeFileSync(refused, 'externalId,status,title.en,learningOutcomes.en,learningOutcomes.fr,ects\nX1,draft,Draft,A | B,| B-fr,0.125\n')
  const refusal = await sync('--file', refused)
  t.equal(refusal.code, 1)
  t.match(refusal.stderr, /offer X1 \(row 2\): INVALID_OFFER/)
  t.match(refusal.stderr, /row 2, column ects: must have at most two decimals/, 'the server\'s pointer, as the CSV cell')

  const wrongKey = await runScript('scripts/sync.ts', ['--institution', 'kuleuven.be', '--key', key!, '--url', server.url, '--file', 'scripts/examples/offers.json'], {})
  t.equal(wrongKey.code, 1)
  t.match(wrongKey.stderr, /sync refused \(403 FORBIDDEN\)/)
})

t.test('the sync script refuses text PostgreSQL cannot store before sending anything, naming the row and field', async (t) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'passerelle-sync-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const csv = path.join(folder, 'offers.csv')
  writeFileSync(csv, 'externalId,title.en,ects\nX1,Data literacy,3\nX2,Data\u0000literacy,3\n')
  const json = path.join(folder, 'offers.json')
  writeFileSync(json, '{"offers":[{"externalId":"X1","title":{"en":"Data \\ud800 literacy"}}]}')
  // Nothing listens on port 9: an attempt to send would fail differently (exit 1, "cannot reach").
  const sync = (file: string) => runScript('scripts/sync.ts', ['--institution', 'unibo.it', '--key', 'psl_x', '--url', 'http://127.0.0.1:9', '--file', file], {})

  const fromCsv = await sync(csv)
  t.equal(fromCsv.code, 2, fromCsv.stderr)
  t.match(fromCsv.stderr, /row 3, column title\.en \(offer X2\): must not contain the character U\+0000/)
  const fromJson = await sync(json)
  t.equal(fromJson.code, 2, fromJson.stderr)
  t.match(fromJson.stderr, /\/title\/en \(offer X1\): must not contain an unpaired UTF-16 surrogate/)
})
