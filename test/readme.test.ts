import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { startServer } from './helpers/process.js'

/**
 * The README's examples work as written. A shell block marked `<!-- tested -->` runs against
 * the demo data (a server this test starts on the embedded database, as `npm start` does on a
 * fresh machine), and its output must match the block that follows it: JSON compared as a
 * pattern (an object lists some of the members it has; "…" stands for any value; an array whose
 * last element is "…" may go on), anything else as text.
 */
const README = readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8')
const README_URL = 'http://127.0.0.1:3000'
const ANY = '…'

interface Example {
  line: number
  command: string
  expected: string
  language: string
}

function testedExamples(markdown: string): Example[] {
  const examples: Example[] = []
  for (const match of markdown.matchAll(/<!-- tested -->\s*\n```sh\n([\s\S]*?)\n```[ \t]*\n+```(\w*)\n([\s\S]*?)\n```/g)) {
    examples.push({ line: markdown.slice(0, match.index).split('\n').length, command: match[1]!, language: match[2]!, expected: match[3]! })
  }
  return examples
}

/** Where `actual` differs from the `expected` pattern (JSON Pointer and reason), if anywhere. */
function mismatch(actual: unknown, expected: unknown, pointer = ''): string | undefined {
  if (expected === ANY) return undefined
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${pointer}: expected an array, got ${JSON.stringify(actual)}`
    const open = expected.at(-1) === ANY
    const items = open ? expected.slice(0, -1) : expected
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return `${pointer}: expected ${open ? 'at least ' : ''}${items.length} items, got ${actual.length}`
    }
    for (const [index, item] of items.entries()) {
      const found = mismatch(actual[index], item, `${pointer}/${index}`)
      if (found) return found
    }
    return undefined
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${pointer}: expected an object, got ${JSON.stringify(actual)}`
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${pointer}/${key}: missing`
      const found = mismatch((actual as Record<string, unknown>)[key], value, `${pointer}/${key}`)
      if (found) return found
    }
    return undefined
  }
  return actual === expected ? undefined : `${pointer}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
}

function run(command: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd, env: process.env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

const examples = testedExamples(README)

t.test('the README marks examples as tested', async (t) => {
  t.ok(examples.length >= 3, `${examples.length} tested examples`)
})

t.test('every tested README example returns what the README says, on the demo data', async (t) => {
  // As on a fresh clone: the embedded database in ./data, where the examples find the demo keys.
  const home = mkdtempSync(path.join(tmpdir(), 'passerelle-readme-'))
  const env = { PGLITE_DATA_DIR: path.join(home, 'data') }
  t.teardown(() => rmSync(home, { recursive: true, force: true }))
  const server = await startServer({ ...env, SEED_DEMO: 'true' })
  t.teardown(() => {
    server.child.kill('SIGTERM')
    return server.exited
  })
  for (const example of examples) {
    const command = example.command.replaceAll(README_URL, server.url)
    const result = await run(command, home)
    t.equal(result.code, 0, `README line ${example.line}: ${example.command} exits 0\n${result.stderr}`)
    if (example.language === 'json') {
      let actual: unknown
      try {
        actual = JSON.parse(result.stdout)
      } catch {
        t.fail(`README line ${example.line}: the output is not JSON: ${result.stdout.slice(0, 300)}`)
        continue
      }
      const found = mismatch(actual, JSON.parse(example.expected))
      t.notOk(found, `README line ${example.line}: ${example.command}${found ? `\n  ${found}\n  got: ${result.stdout.slice(0, 600)}` : ''}`)
    } else {
      t.equal(result.stdout.trim(), example.expected.trim(), `README line ${example.line}: ${example.command}`)
    }
  }
})
