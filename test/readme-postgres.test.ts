import { randomBytes } from 'node:crypto'
import t from 'tap'
import { TEST_SERVER_URL } from './helpers/database.js'
import { README, ShellSession, testedExamples } from './helpers/readme.js'
import { requires } from './helpers/requires.js'

// The walkthrough starts a server and runs every marked step in turn: minutes on a busy machine.
t.setTimeout(600_000)

/** The README's "Running against your own PostgreSQL" (see helpers/readme.ts), on a scratch database of the test server. */
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
