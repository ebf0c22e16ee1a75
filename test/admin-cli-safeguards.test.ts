import t from 'tap'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript, withDatabaseOf } from './helpers/process.js'

/** The operator command line's safeguards: a replace that would drop something, members one by one. */
const database = await createTestDatabase()
t.teardown(() => database.drop())
const env = databaseEnv(database.url)
const admin = (...args: string[]) => runScript('scripts/admin.ts', args, env)
await withDatabaseOf(env, async (db) => {
  const registry = createRegistryService(db)
  for (const schac of ['drop2.example', 'drop3.example']) {
    await runWrite(db, SYSTEM_ACTOR, (write) => registry.putInstitution(write, schac, { name: { en: schac }, country: 'BE' }, {}))
  }
  await runWrite(db, SYSTEM_ACTOR, (write) =>
    registry.putInstitution(write, 'drop1.example', { name: { en: 'Drop One', fr: 'Drop Un' }, country: 'BE', website: 'https://drop1.example' }, {}),
  )
  await runWrite(db, SYSTEM_ACTOR, (write) =>
    registry.putAlliance(write, 'droppers', { name: 'Droppers', website: 'https://droppers.example', members: ['drop1.example', 'drop2.example'] }, {}),
  )
})

t.test('a put that would drop something says what, and needs a terminal or --yes', async (t) => {
  const refused = await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example')
  t.equal(refused.code, 1)
  t.match(refused.stderr, /alliances put droppers replaces it whole and would drop: member drop2\.example; website "https:\/\/droppers\.example"/)
  t.match(refused.stderr, /not replacing: no terminal to confirm in; add --yes to replace anyway \(to add or remove one member, use alliances members add\|remove\)/)

  const added = await admin('alliances', 'members', 'add', 'droppers', 'drop3.example', '--json')
  t.equal(added.code, 0, added.stderr)
  t.same(JSON.parse(added.stdout).members, ['drop1.example', 'drop2.example', 'drop3.example'], 'the refused put replaced nothing; the member was added to the others')
  const removed = await admin('alliances', 'members', 'remove', 'droppers', 'drop1.example', '--json')
  t.equal(removed.code, 0, removed.stderr)
  t.same(JSON.parse(removed.stdout).members, ['drop2.example', 'drop3.example'])
  const notMember = await admin('alliances', 'members', 'remove', 'droppers', 'drop1.example')
  t.equal(notMember.code, 1)
  t.match(notMember.stderr, /drop1\.example is not a member of alliance droppers/)

  const growing = await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example,drop2.example,drop3.example', '--website', 'https://droppers.example', '--json')
  t.equal(growing.code, 0, 'nothing dropped: no question asked')
  const confirmed = await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example', '--yes', '--json')
  t.equal(confirmed.code, 0, confirmed.stderr)
  t.same(JSON.parse(confirmed.stdout).members, ['drop1.example'])

  const institution = await admin('institutions', 'put', 'drop1.example', '--name', 'en=Drop One', '--country', 'BE')
  t.equal(institution.code, 1)
  t.match(institution.stderr, /would drop: name \(fr\) "Drop Un"; website "https:\/\/drop1\.example"/)
})
