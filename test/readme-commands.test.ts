import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import t from 'tap'
import { TEST_SERVER_URL } from './helpers/database.js'
import { databaseEnv, runScript } from './helpers/process.js'
import { README, ShellSession, testedExamples, walk } from './helpers/readme.js'
import { requires } from './helpers/requires.js'

/**
 * The README's command-line steps (see helpers/readme.ts): the operator's `npm run admin` on the
 * embedded demo database, and "Running against your own PostgreSQL" on a scratch database of
 * the test server.
 */
t.test('the command-line steps work as written on the demo data, and only add to it', async (t) => {
  const env = databaseEnv(undefined)
  t.teardown(() => rmSync(env.PGLITE_DATA_DIR!, { recursive: true, force: true }))
  t.equal((await runScript('scripts/seed.ts', [], env)).code, 0)
  const registry = async () => {
    const alliances = await runScript('scripts/admin.ts', ['alliances', 'list', '--json'], env)
    const institutions = await runScript('scripts/admin.ts', ['institutions', 'list', '--json'], env)
    return { alliances: JSON.parse(alliances.stdout) as Array<Record<string, any>>, institutions: JSON.parse(institutions.stdout) as Array<Record<string, any>> }
  }
  const before = await registry()
  const session = new ShellSession(env)
  t.teardown(() => session.close())
  await walk(t, testedExamples(README, 'cli'), session, (command) => command)

  const after = await registry()
  const content = ({ updatedAt: _, alliances: __, ...rest }: Record<string, any>) => rest
  const find = (items: Array<Record<string, any>>, key: string, value: string) => items.find((item) => item[key] === value)!
  for (const institution of before.institutions) {
    const now = find(after.institutions, 'schac', institution.schac)
    t.same(content(now), content(institution), `${institution.schac} says what it said`)
    t.same(now.alliances, [...institution.alliances, ...(institution.schac === 'unibo.it' ? ['dublin-bologna'] : [])].sort(), `${institution.schac}'s alliances: only the new one the step makes`)
  }
  for (const alliance of before.alliances) {
    const now = find(after.alliances, 'slug', alliance.slug)
    t.same(content(now), { ...content(alliance), members: alliance.slug === 'una-europa' ? [...alliance.members, 'ucd.ie'].sort() : alliance.members }, `${alliance.slug}: ${alliance.slug === 'una-europa' ? 'the same members and Dublin, as the step says' : 'as it was'}`)
  }
  t.same(after.institutions.length - before.institutions.length, 1, 'one institution added (Dublin)')
})

t.test('the steps for your own PostgreSQL work as written', async (t) => {
  if (!(await requires(t, 'postgres'))) return
  const server = new URL(TEST_SERVER_URL)
  const name = `passerelle_readme_${randomBytes(4).toString('hex')}`
  const url = new URL(TEST_SERVER_URL)
  url.pathname = `/${name}`
  const session = new ShellSession({})
  t.teardown(async () => {
    session.close()
    await session.run(`dropdb --if-exists --force -h ${server.hostname} -p ${server.port || 5432} -U ${server.username || 'postgres'} ${name}`)
  })
  const [example, ...others] = testedExamples(README, 'postgres')
  t.same(others, [], 'one block')
  const rewritten = example!.command
    .replace('createdb -h db.example.eu -U user passerelle', `createdb -h ${server.hostname} -p ${server.port || 5432} -U ${server.username || 'postgres'} ${name}`)
    .replace('postgres://user:password@db.example.eu:5432/passerelle', url.toString())
  t.notMatch(rewritten, /example\.eu/, 'every placeholder of the README was replaced')
  const result = await session.run(rewritten)
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /migrations applied \(postgres\)\nThe database is empty: npm run seed loads the demo data/)
  t.match(result.stdout, /Demo data loaded\. Demo keys \(shown only now\):\n {2}operator \(registry:admin\)/)
})
