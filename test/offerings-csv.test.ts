import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { parseOffersCsv } from '../scripts/lib/offers-csv.js'
import { parseRunsCsv, runCsvColumnOf } from '../scripts/lib/runs-csv.js'
import { bearer, startTestApp } from './helpers/app.js'
import { runScript } from './helpers/process.js'

const header = 'externalId,runId,startDate,endDate,applicationOpens,applicationCloses,placesTotal,placesAvailable,language,mode,location.city,location.campus,location.country,fees,enrolmentUrl,eligibility.openTo,eligibility.institutions,languageRequirements'

t.test('the example runs file reads into each offer\'s runs', async (t) => {
  const { runsOf, problems } = parseRunsCsv(readFileSync('scripts/examples/runs.csv', 'utf8'), new Set(['MC-GREEN-CHEM', 'MC-EU-LAW-DIGITAL', 'MC-ITALIAN-A2']))
  t.same(problems, [])
  t.same(runsOf.get('MC-GREEN-CHEM'), [
    {
      row: 2,
      run: {
        runId: '2030-SPRING',
        startDate: '2030-03-02',
        endDate: '2030-05-29',
        language: 'en',
        mode: 'onsite',
        enrolmentUrl: 'https://www.unibo.it/en/study/apply',
        application: { opens: '2029-11-15', closes: '2030-01-31' },
        places: { total: 24, available: 24 },
        location: { city: 'Bologna', campus: 'Navile', country: 'IT' },
        fees: [{ amount: 0, currency: 'EUR', appliesTo: 'alliance_students' }, { amount: 380, currency: 'EUR', appliesTo: 'others' }],
        eligibility: { openTo: 'alliance_students', languageRequirements: [{ language: 'en', cefr: 'B2' }] },
      },
    },
  ])
  t.same(runsOf.get('MC-EU-LAW-DIGITAL')![0]!.run.places, { total: 200 }, 'places left unsaid')
  t.notOk('location' in runsOf.get('MC-EU-LAW-DIGITAL')![0]!.run, 'online: no location')
  t.same(runsOf.get('MC-ITALIAN-A2')![0]!.run.eligibility, { openTo: 'institutions', institutions: ['kuleuven.be', 'helsinki.fi'] })
})

t.test('bad cells are reported by row and column', async (t) => {
  const text = [
    header,
    'NOPE,R1,2030-01-01,2030-02-01,,,,,en,online,,,,,,,,',
    ',R1,2030-01-01,2030-02-01,,,,,en,online,,,,,,,,',
    'A,,2030-01-01,2030-02-01,2029-12-01,,x,3,en,online,,,,12 EUR,,,,en',
  ].join('\n')
  const { problems } = parseRunsCsv(text, new Set(['A']))
  t.same(problems.map((p) => `${p.row} ${p.column}`), ['2 externalId', '3 externalId', '4 runId', '4 applicationOpens', '4 placesTotal', '4 fees', '4 languageRequirements'])
  t.match(problems[0]!.detail, /no offer NOPE/)
})

t.test('server pointers map back to columns', async (t) => {
  t.equal(runCsvColumnOf('/endDate'), 'endDate')
  t.equal(runCsvColumnOf('/application/opens'), 'applicationOpens')
  t.equal(runCsvColumnOf('/application/closes'), 'applicationCloses')
  t.equal(runCsvColumnOf('/places/available'), 'placesAvailable')
  t.equal(runCsvColumnOf('/places/total'), 'placesTotal')
  t.equal(runCsvColumnOf('/location'), 'location.city')
  t.equal(runCsvColumnOf('/location/country'), 'location.country')
  t.equal(runCsvColumnOf('/eligibility/institutions/0'), 'eligibility.institutions')
  t.equal(runCsvColumnOf('/eligibility/languageRequirements/1/language'), 'languageRequirements')
  t.equal(runCsvColumnOf('/eligibility/openTo'), 'eligibility.openTo')
  t.equal(runCsvColumnOf('/fees/1/amount'), 'fees')
  t.equal(runCsvColumnOf(''), 'runId')
})

t.test('the example files sync, offers with their runs', async (t) => {
  const ctx = await startTestApp(t)
  await ctx.institution('unibo.it', 'IT')
  await ctx.institution('kuleuven.be', 'BE')
  await ctx.institution('helsinki.fi', 'FI')
  const key = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const { offers } = parseOffersCsv(readFileSync('scripts/examples/offers.csv', 'utf8'))
  const { runsOf } = parseRunsCsv(readFileSync('scripts/examples/runs.csv', 'utf8'), new Set(offers.map((offer) => offer.externalId as string)))
  const body = { mode: 'upsert', offers: offers.map((offer) => ({ ...offer, runs: (runsOf.get(offer.externalId as string) ?? []).map((entry) => entry.run) })) }
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/institutions/unibo.it/offers/sync', headers: key, payload: body })
  t.equal(response.statusCode, 200, response.body)
  t.same(response.json().runs, { created: 3, updated: 0, unchanged: 0, deleted: 0 })
})

t.test('npm run sync -- --runs-file: the runs go with their offers; a refused run is named by its row and column', async (t) => {
  const ctx = await startTestApp(t)
  await ctx.institution('unibo.it', 'IT')
  await ctx.institution('kuleuven.be', 'BE')
  await ctx.institution('helsinki.fi', 'FI')
  const key = await ctx.key('unibo.it', ['catalogue:write'])
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const address = ctx.app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const sync = (runsFile: string, extra: string[] = []) =>
    runScript('scripts/sync.ts', ['--institution', 'unibo.it', '--url', url, '--file', 'scripts/examples/offers.csv', '--runs-file', runsFile, ...extra], { PASSERELLE_KEY: key })

  const dry = await sync('scripts/examples/runs.csv', ['--dry-run'])
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, /runs: created 3, updated 0, unchanged 0, deleted 0/)
  const done = await sync('scripts/examples/runs.csv')
  t.equal(done.code, 0, done.stderr)
  t.match(done.stdout, /runs: created 3/)

  const folder = mkdtempSync(path.join(tmpdir(), 'runs-csv-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const bad = path.join(folder, 'runs.csv')
  writeFileSync(bad, `${header}\nMC-EU-LAW-DIGITAL,R1,2030-05-01,2030-04-01,,,,,en,online,,,,,,,,\n`)
  const refused = await sync(bad)
  t.equal(refused.code, 1)
  t.match(refused.stderr, /offer MC-EU-LAW-DIGITAL \(row 3\): INVALID_RUN/)
  t.match(refused.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} row 2, column endDate`))
  const unreadable = path.join(folder, 'unreadable.csv')
  writeFileSync(unreadable, `${header}\nNOPE,R1,2030-05-01,2030-06-01,,,,,en,online,,,,,,,,\n`)
  const local = await sync(unreadable)
  t.equal(local.code, 1)
  t.match(local.stderr, /1 bad cell in .*nothing was sent:\n {2}row 2, column externalId: no offer NOPE/)
})
