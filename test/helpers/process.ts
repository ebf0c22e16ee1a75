import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase, type Database } from '../../src/db/client.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Environment for a child process pointed at a test database (or a scratch PGlite folder). */
export function databaseEnv(url: string | undefined): Record<string, string> {
  return url
    ? { DATABASE_URL: url }
    : { PGLITE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'passerelle-pglite-')) }
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', NODE_OPTIONS: '' }
  delete env.DATABASE_URL
  delete env.PGLITE_DATA_DIR
  return { ...env, ...extra }
}

/** Runs a TypeScript entry point of the project (a script or the server) to completion. */
export function runScript(file: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, env: baseEnv(env) })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

export interface ServerProcess {
  child: ChildProcess
  url: string
  exited: Promise<number | null>
  /** stdout and stderr as they came. */
  output(): string
  /** stdout alone (the logs). */
  stdout(): string
}

/**
 * Starts the server as its own process on a free port and waits until it is ready, as a load
 * balancer would before sending it traffic.
 */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env)
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${server.url}/health/ready`).then((r) => r.status, () => 0)
    if (ready === 200) return server
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`server never became ready:\n${server.output()}`)
}

function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: baseEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
    })
    let output = ''
    let stdout = ''
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000)
    // The banner is on stderr, the logs on stdout.
    const read = (chunk: Buffer) => {
      output += chunk
      const match = /Passerelle is up at (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]!, exited, output: () => output, stdout: () => stdout })
      }
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk
      read(chunk)
    })
    child.stderr!.on('data', read)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${output}`))
    })
  })
}

/**
 * Opens the database a child process is pointed at (see databaseEnv) for the test's own reads
 * and writes between runs, and closes it after: the embedded one admits one process at a time.
 */
export async function withDatabaseOf<T>(env: Record<string, string>, work: (db: Database) => Promise<T>): Promise<T> {
  const handle = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, poolMax: 2 } : { pgliteDataDir: env.PGLITE_DATA_DIR })
  try {
    await handle.migrate()
    return await work(handle.db)
  } finally {
    await handle.close()
  }
}
