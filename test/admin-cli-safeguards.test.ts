import t from 'tap'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript } from './helpers/process.js'

/** The operator command line's safeguards: a replace that would drop something, members one by one. */
const database = await createTestDatabase()
t.teardown(() => database.drop())
const env = databaseEnv(database.url)
const admin = (...args: string[]) => runScript('scripts/admin.ts', args, env)
t.equal((await admin('institutions', 'put', 'unibo.it', '--name', 'en=University of Bologna', '--country', 'IT')).code, 0)

t.test('a put that would drop something says what, and needs a terminal or --yes', async (t) => {
  for (const schac of ['drop1.example', 'drop2.example', 'drop3.example']) {
    t.equal((await admin('institutions', 'put', schac, '--name', `en=${schac}`, '--country', 'BE')).code, 0)
  }
  t.equal((await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example,drop2.example', '--website', 'https://droppers.example')).code, 0)

  const refused = await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example')
  t.equal(refused.code, 1)
  t.match(refused.stderr, /alliances put droppers replaces it whole and would drop: member drop2\.example; website "https:\/\/droppers\.example"/)
  t.match(refused.stderr, /not replacing: no terminal to confirm in; add --yes to replace anyway \(to add or remove one member, use alliances members add\|remove\)/)
  t.same(JSON.parse((await admin('alliances', 'get', 'droppers', '--json')).stdout).members, ['drop1.example', 'drop2.example'], 'nothing was replaced')

  const added = await admin('alliances', 'members', 'add', 'droppers', 'drop3.example', '--json')
  t.equal(added.code, 0, added.stderr)
  t.same(JSON.parse(added.stdout).members, ['drop1.example', 'drop2.example', 'drop3.example'])
  const removed = await admin('alliances', 'members', 'remove', 'droppers', 'drop1.example', '--json')
  t.equal(removed.code, 0, removed.stderr)
  t.same(JSON.parse(removed.stdout).members, ['drop2.example', 'drop3.example'])
  const notMember = await admin('alliances', 'members', 'remove', 'droppers', 'drop1.example')
  t.equal(notMember.code, 1)
  t.match(notMember.stderr, /drop1\.example is not a member of alliance droppers/)
  t.equal((await admin('alliances', 'members', 'join', 'droppers', 'drop1.example')).code, 2)

  const growing = await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example,drop2.example,drop3.example', '--website', 'https://droppers.example', '--json')
  t.equal(growing.code, 0, 'nothing dropped: no question asked')
  const confirmed = await admin('alliances', 'put', 'droppers', '--name', 'Droppers', '--members', 'drop1.example', '--yes', '--json')
  t.equal(confirmed.code, 0, confirmed.stderr)
  t.same(JSON.parse(confirmed.stdout).members, ['drop1.example'])

  t.equal((await admin('institutions', 'put', 'drop1.example', '--name', 'en=Drop One', '--name', 'fr=Drop Un', '--country', 'BE', '--website', 'https://drop1.example')).code, 0)
  const institution = await admin('institutions', 'put', 'drop1.example', '--name', 'en=Drop One', '--country', 'BE')
  t.equal(institution.code, 1)
  t.match(institution.stderr, /would drop: name \(fr\) "Drop Un"; website "https:\/\/drop1\.example"/)
})
