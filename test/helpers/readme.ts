import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Test } from 'tap'

/**
 * The README's walkthrough, as a newcomer follows it. A `sh` block marked `<!-- tested -->`
 * runs against the demo data on a server started on the embedded database (as `npm start` does
 * on a fresh machine); `<!-- tested: cli -->` with the server stopped (the command line opens
 * the embedded database itself); `<!-- tested: postgres -->` against a PostgreSQL server. Blocks
 * run in order, in one shell session (a variable set in one is there in the next), and every
 * `curl` fails on an HTTP error, so a block passes only when each of its requests succeeds.
 * When a block is followed by one with its answer, the output must match it: JSON as a pattern
 * (an object lists some of the members it has; "…" stands for any value; an array whose last
 * element is "…" may go on), anything else as text.
 */
export const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8')
export const README_URL = 'http://127.0.0.1:3000'
const ROOT = path.resolve(import.meta.dirname, '../..')
const ANY = '…'

export type Walkthrough = 'server' | 'cli' | 'postgres'

export interface Example {
  line: number
  command: string
  walkthrough: Walkthrough
  /** The answer the README shows, when it shows one. */
  expected?: string
  language?: string
}

export function testedExamples(markdown: string, walkthrough: Walkthrough): Example[] {
  const examples: Example[] = []
  for (const match of markdown.matchAll(/<!-- tested(?:: (\w+))? -->\s*\n```sh\n([\s\S]*?)\n```[ \t]*\n/g)) {
    if ((match[1] ?? 'server') !== walkthrough) continue
    const answer = /^\n*```(json|text)?\n([\s\S]*?)\n```/.exec(markdown.slice(match.index + match[0].length))
    examples.push({
      line: markdown.slice(0, match.index).split('\n').length,
      command: match[2]!,
      walkthrough,
      ...(answer ? { language: answer[1] ?? '', expected: answer[2]! } : {}),
    })
  }
  return examples
}

/** Where `actual` differs from the `expected` pattern (JSON Pointer and reason), if anywhere. */
export function mismatch(actual: unknown, expected: unknown, pointer = ''): string | undefined {
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

export interface Outcome {
  code: number
  stdout: string
  stderr: string
}

/**
 * One shell session across blocks: each block runs in `sh -e` in the project's folder, with the
 * variables the blocks before it exported (kept in a file between blocks).
 *
 * A block has `BLOCK_TIMEOUT_MS` (each `npm run admin` starts Node.js, tsx and the embedded
 * database: some 15 s on a busy 2-core machine, more under coverage). A block that runs over is
 * killed with everything it started (its own process group): a command left running would keep
 * the embedded database's lock and fail every later step with a message about the lock instead
 * of the timeout.
 */
export const BLOCK_TIMEOUT_MS = 300_000

export class ShellSession {
  private readonly folder = mkdtempSync(path.join(tmpdir(), 'passerelle-readme-'))
  private readonly state = path.join(this.folder, 'state.sh')

  constructor(private readonly env: Record<string, string>) {}

  run(command: string): Promise<Outcome> {
    const script = [
      'set -e',
      `[ -f '${this.state}' ] && . '${this.state}'`,
      // As a newcomer reads it: a request the server refuses is a step that did not work.
      'curl() { command curl -sS --fail-with-body "$@"; }',
      command,
      `export -p > '${this.state}'`,
    ].join('\n')
    return new Promise((resolve) => {
      const shell = spawn('sh', ['-c', script], { cwd: ROOT, env: { ...process.env, ...this.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        try {
          process.kill(-shell.pid!, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }, BLOCK_TIMEOUT_MS)
      shell.on('close', (code, signal) => {
        clearTimeout(timer)
        const note = timedOut ? `the block ran over ${BLOCK_TIMEOUT_MS / 1000} s and was killed with what it started\n` : ''
        resolve({ code: timedOut ? 124 : (code ?? (signal ? 128 : 1)), stdout, stderr: note + stderr })
      })
    })
  }

  close(): void {
    rmSync(this.folder, { recursive: true, force: true })
  }
}

/** Runs the examples of one walkthrough in order; each must exit 0 and answer what the README shows. */
export async function walk(t: Test, examples: Example[], session: ShellSession, rewrite: (command: string) => string): Promise<void> {
  for (const example of examples) {
    const result = await session.run(rewrite(example.command))
    const where = `README line ${example.line}: ${example.command.split('\n')[0]}`
    t.equal(result.code, 0, result.code === 0 ? `${where} exits 0` : `${where} exits 0\n${result.stderr}${result.stdout.slice(0, 600)}`)
    if (example.expected === undefined) continue
    if (example.language === 'json') {
      let actual: unknown
      try {
        actual = JSON.parse(result.stdout)
      } catch {
        t.fail(`${where}: the output is not JSON: ${result.stdout.slice(0, 300)}`)
        continue
      }
      const found = mismatch(actual, JSON.parse(example.expected))
      t.notOk(found, `${where}${found ? `\n  ${found}\n  got: ${result.stdout.slice(0, 600)}` : ''}`)
    } else {
      t.equal(result.stdout.trim(), example.expected.trim(), where)
    }
  }
}
