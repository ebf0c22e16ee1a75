import { rmSync } from 'node:fs'
import t from 'tap'
import { createRegistryService } from '../src/modules/registry/index.js'
import { databaseEnv, runScript, withDatabaseOf } from './helpers/process.js'
import { README, ShellSession, testedExamples, walk } from './helpers/readme.js'

// The walkthrough starts a server and runs every marked step in turn: minutes on a busy machine.
t.setTimeout(600_000)

/** The README's command-line steps (see helpers/readme.ts): the operator's `npm run admin` on the embedded demo database. */
t.test('the command-line steps work as written on the demo data, and only add to it', async (t) => {
  const env = databaseEnv(undefined)
  t.teardown(() => rmSync(env.PGLITE_DATA_DIR!, { recursive: true, force: true }))
  t.equal((await runScript('scripts/seed.ts', [], env)).code, 0)
  const registry = () =>
    withDatabaseOf(env, async (db) => {
      const service = createRegistryService(db)
      const alliances = await service.listAlliances({ limit: 100 })
      const institutions = await service.listInstitutions({ limit: 100 })
      return { alliances: alliances as Array<Record<string, any>>, institutions: institutions as Array<Record<string, any>> }
    })
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
