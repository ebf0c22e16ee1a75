import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript } from './helpers/process.js'
import { requires } from './helpers/requires.js'
import { validateElm } from './helpers/shacl.js'
import { validateLoqXml } from './helpers/xsd.js'

/** `npm run export`: an alliance's or an institution's published catalogue, streamed to a file. */
const ELM = 'http://data.europa.eu/snb/model/elm/'
const database = await createTestDatabase()
t.teardown(() => database.drop())
const env = { ...databaseEnv(database.url), PUBLIC_BASE_URL: 'https://catalogue.example.eu' }
const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-export-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const exportTo = (file: string, ...args: string[]) => runScript('scripts/export.ts', [...args, '--out', path.join(dir, file)], env)

const seeded = await runScript('scripts/seed.ts', ['--json'], env)
if (seeded.code !== 0) throw new Error(seeded.stderr)

t.test('an alliance\'s catalogue as one ELM dataset that conforms to the LOQ shapes', async (t) => {
  const run = await exportTo('una.jsonld', '--alliance', 'una-europa', '--format', 'elm')
  t.equal(run.code, 0, run.stderr)
  const dataset = JSON.parse(readFileSync(path.join(dir, 'una.jsonld'), 'utf8'))
  const institutions = dataset['@graph'].map((node: { providedBy: Array<{ id: string }> }) => node.providedBy[0]!.id.split('/').pop())
  // Una Europa's published demo offers: Bologna's two, Helsinki's one, KU Leuven's one (its draft is not published).
  t.same([...institutions].sort(), ['helsinki.fi', 'kuleuven.be', 'unibo.it', 'unibo.it'])
  t.match(run.stderr, /una\.jsonld: 4 offer\(s\) as elm/)
  const result = await validateElm(dataset)
  t.ok(result.conforms, result.violations.join('\n'))
  t.equal(result.targeted[`${ELM}LearningOpportunity`], 4, 'the shapes checked every learning opportunity of the dataset')
})

t.test('an institution\'s offers not ready for ELM are left out and listed; OB3 takes them', async (t) => {
  const elm = await exportTo('ulb.jsonld', '--institution', 'ulb.be', '--format', 'elm')
  t.equal(elm.code, 0, elm.stderr)
  t.match(elm.stderr, /0 offer\(s\) as elm; 1 left out, not ready:\n {2}[0-9a-f-]{36}: \/eqfLevel, \/nqfLevels\n/)
  t.same(JSON.parse(readFileSync(path.join(dir, 'ulb.jsonld'), 'utf8'))['@graph'], [])
  const ob3 = await exportTo('ulb.json', '--institution', 'ulb.be', '--format', 'ob3')
  t.equal(ob3.code, 0, ob3.stderr)
  const achievements = JSON.parse(readFileSync(path.join(dir, 'ulb.json'), 'utf8'))
  t.match(ob3.stderr, /ulb\.json: 1 offer\(s\) as ob3\n/)
  t.match(achievements, [{ type: ['Achievement'], achievementType: 'MicroCredential', creator: { id: 'https://catalogue.example.eu/v1/institutions/ulb.be' } }])
})

t.test('an alliance\'s catalogue as one LOQ XML document that validates against loq.xsd', async (t) => {
  if (!(await requires(t, 'xmllint'))) return
  const run = await exportTo('una.xml', '--alliance', 'una-europa', '--format', 'loq-xml')
  t.equal(run.code, 0, run.stderr)
  t.match(run.stderr, /una\.xml: 4 offer\(s\) as loq-xml\n/)
  const xml = readFileSync(path.join(dir, 'una.xml'), 'utf8')
  const result = validateLoqXml(xml)
  t.ok(result.valid, result.errors)
  t.equal(result.learningOpportunities, 4, 'every published, ready offer of the alliance')
  const organisations = [...xml.matchAll(/<organisation id="https:\/\/catalogue\.example\.eu\/v1\/institutions\/([^"]+)"/g)].map((m) => m[1])
  t.same([...organisations].sort(), ['helsinki.fi', 'kuleuven.be', 'unibo.it'], 'each provider once')
  const ulb = await exportTo('ulb.xml', '--institution', 'ulb.be', '--format', 'loq-xml')
  t.match(ulb.stderr, /ulb\.xml: 0 offer\(s\) as loq-xml; 1 left out, not ready:\n {2}[0-9a-f-]{36}: \/eqfLevel, \/nqfLevels\n$/, 'left-out offers reported once, not once per pass')
  t.equal(validateLoqXml(readFileSync(path.join(dir, 'ulb.xml'), 'utf8')).learningOpportunities, 0)
})

t.test('usage errors say how to call it', async (t) => {
  for (const args of [['--format', 'elm', '--out', 'x'], ['--institution', 'a', '--alliance', 'b', '--format', 'elm', '--out', 'x'], ['--institution', 'a', '--format', 'loq', '--out', 'x'], ['--institution', 'a', '--format', 'elm']]) {
    const run = await runScript('scripts/export.ts', args, env)
    t.equal(run.code, 1, args.join(' '))
    t.match(run.stderr, /usage: npm run export/)
  }
})
