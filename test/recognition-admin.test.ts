import { sql } from 'drizzle-orm'
import t from 'tap'
import { rowsOf } from '../src/db/client.js'
import { completeOffer } from './helpers/offers.js'
import { databaseEnv, runScript } from './helpers/process.js'
import { requires } from './helpers/requires.js'
import { bearer, startTestApp } from './helpers/app.js'

// The admin command that lists decisions whose learner references collide once normalised
// (left by the release before normalisation; the migration reports them rather than merging).
t.test('recognition learner-collisions lists decisions that are one learner once normalised', async (t) => {
  // The command runs in its own process: it needs a database server both can open.
  if (!(await requires(t, 'postgres'))) return
  const ctx = await startTestApp(t)
  const database = ctx.database
  t.ok(database.url)
  const admin = (...args: string[]) => runScript('scripts/admin.ts', ['recognition', 'learner-collisions', ...args], databaseEnv(database.url))

  const none = await admin()
  t.equal(none.code, 0, none.stderr)
  t.equal(none.stdout, 'no learner references collide once normalised\n')

  for (const [schac, country] of [['unibo.it', 'IT'], ['kuleuven.be', 'BE']] as const) await ctx.institution(schac, country)
  const catalogue = bearer(await ctx.key('unibo.it', ['catalogue:write']))
  const offer = (await ctx.app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/COLL-1', headers: catalogue, payload: completeOffer({ ects: 6, workloadHours: 160 }) })).json()
  const recognition = bearer(await ctx.key('kuleuven.be', ['recognition:write']))
  const recorded = await ctx.app.inject({
    method: 'POST',
    url: '/v1/recognitions',
    headers: recognition,
    payload: { offerId: offer.id, scope: 'individual', learnerRef: 'LRN-DUP-1', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 6 },
  })
  t.equal(recorded.statusCode, 201)
  // As the release before normalisation stored a variant of the same reference.
  const [legacy] = rowsOf<{ id: string }>(await database.handle.db.execute(sql`
    insert into recognition_decisions (recognising_institution, offering_institution, offer_id, offer_version, scope, learner_ref, learner_key,
                                       purpose, outcome, credits_recognised, details, valid_from, decided_at)
    values ('kuleuven.be', 'unibo.it', ${offer.id}, 1, 'individual', ' LRN-DUP-1', 'lrn-dup-1', 'credit_transfer', 'full', 6,
            '{"recognisedAs":[],"substantialDifferences":[],"conditions":[]}', '2026-01-10', '2026-01-10T09:00:00Z')
    returning id`))

  const human = await admin()
  t.equal(human.code, 1, 'collisions make the command fail, so a script can tell')
  t.match(human.stdout, `kuleuven.be offer ${offer.id} credit_transfer learner "lrn-dup-1": 2 decisions in force`)
  t.match(human.stdout, `${legacy!.id}  " LRN-DUP-1"`)
  const json = await admin('--json')
  t.same(JSON.parse(json.stdout).map((c: any) => c.decisions.map((d: any) => d.id).sort()), [[recorded.json().id, legacy!.id].sort()])
})
