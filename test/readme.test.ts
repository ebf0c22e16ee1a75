import { rmSync } from 'node:fs'
import t from 'tap'
import { databaseEnv, startServer } from './helpers/process.js'
import { README, README_URL, ShellSession, mismatch, testedExamples, walk } from './helpers/readme.js'

// The walkthrough starts a server and runs every marked step in turn: minutes on a busy machine.
t.setTimeout(600_000)

/**
 * The README's walkthrough on the embedded database, with the server running (see
 * helpers/readme.ts): every marked block works as written, in order, and the demo data a
 * newcomer started from is as it was afterwards, but for what a step says it adds or changes.
 */
const examples = testedExamples(README, 'server')

t.test('the README marks its walkthrough as tested', async (t) => {
  t.ok(examples.length >= 8, `${examples.length} tested blocks`)
  t.ok(examples.filter((example) => example.expected !== undefined).length >= 5, 'with the answers they show')
  t.ok(testedExamples(README, 'cli').length >= 1 && testedExamples(README, 'postgres').length >= 1, 'command-line and PostgreSQL steps too')
  t.notMatch(README, /\$ADMIN_TOKEN"? -H/, 'examples use the demo operator key, which the walkthrough defines')
})

t.test('a pattern matches what it describes, and nothing else', async (t) => {
  t.equal(mismatch({ a: 1, b: [1, 2, 3] }, { b: [1, '…'] }), undefined)
  t.equal(mismatch({ a: 1 }, { a: 2 }), '/a: expected 2, got 1')
  t.equal(mismatch({ b: [1] }, { b: [1, 2] }), '/b: expected 2 items, got 1')
  t.equal(mismatch({ b: [1, 2] }, { b: [1, 2, '…'] }), undefined)
  t.equal(mismatch([], {}), ': expected an object, got []')
  t.equal(mismatch({}, { c: '…' }), '/c: missing')
})

interface DemoState {
  institutions: unknown[]
  alliances: unknown[]
  offers: unknown[]
}

/** What a newcomer starts from: the registry as it reads, and each published offer's version. */
async function demoState(url: string): Promise<DemoState> {
  const items = async (list: string) => ((await (await fetch(`${url}${list}`)).json()) as { items: Array<Record<string, unknown>> }).items
  // A membership added then removed touches the institution and alliance (updatedAt), not what they say.
  const content = ({ updatedAt: _, ...rest }: Record<string, unknown>) => rest
  return {
    institutions: (await items('/v1/institutions?limit=100')).map(content),
    alliances: (await items('/v1/alliances?limit=100')).map(content),
    offers: (await items('/v1/offers?limit=100')).map(({ id, institution, externalId, version, status, title, ects }) => ({ id, institution, externalId, version, status, title, ects })),
  }
}

t.test('the walkthrough works as written, in order, on the demo data, and leaves the demo as it was', async (t) => {
  const env = databaseEnv(undefined)
  t.teardown(() => rmSync(env.PGLITE_DATA_DIR!, { recursive: true, force: true }))
  const server = await startServer({ ...env, SEED_DEMO: 'true' })
  t.teardown(() => {
    server.child.kill('SIGTERM')
    return server.exited
  })
  const before = await demoState(server.url)
  const session = new ShellSession({})
  t.teardown(() => session.close())
  await walk(t, examples, session, (command) =>
    command.replaceAll(README_URL, server.url).replaceAll('./data/demo-keys.json', `${env.PGLITE_DATA_DIR}/demo-keys.json`),
  )

  const after = await demoState(server.url)
  for (const kind of ['institutions', 'alliances', 'offers'] as const) {
    const key = (item: unknown) => JSON.stringify(Object.values(item as object).slice(0, 1))
    const changed = before[kind].filter((item) => JSON.stringify(after[kind].find((other) => key(other) === key(item))) !== JSON.stringify(item))
    t.same(changed, [], `the demo's ${kind} are as they were`)
    t.ok(after[kind].length >= before[kind].length, `no demo ${kind} removed`)
  }
  t.equal(after.institutions.length - before.institutions.length, 1, 'the one institution a step registers (Edinburgh)')
  t.equal(after.alliances.length, before.alliances.length)
  const externalIds = (state: DemoState) => new Set(state.offers.map((offer) => (offer as { externalId: string }).externalId))
  t.same([...externalIds(after)].filter((id) => !externalIds(before).has(id)).sort(), ['MC-EU-LAW-DIGITAL', 'MC-GREEN-CHEM', 'MC-RDM-2027'], 'the offers the steps publish (the CSV\'s third is a draft)')
})
