import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { parseOffersCsv } from '../scripts/lib/offers-csv.js'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript, startServer } from './helpers/process.js'

t.test('CSV columns map onto offers', async (t) => {
  const [offer] = parseOffersCsv(
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
  t.same(parseOffersCsv('externalId,ects\nX2,three\n'), [{ externalId: 'X2', ects: 'three' }], 'bad values go to the server, which names them')
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
  t.match(fromCsv.stderr, /CSV row 3 \(offer X2\): \/title\/en must not contain the character U\+0000/)
  const fromJson = await sync(json)
  t.equal(fromJson.code, 2, fromJson.stderr)
  t.match(fromJson.stderr, /item 0 \(offer X1\): \/title\/en must not contain an unpaired UTF-16 surrogate/)
})
