// What every command line of the project does the same way: one line for a mistyped option
// instead of a stack trace, a quiet exit when the reader of its output goes away (`| head`),
// and a warning when a key is typed where shells and npm echo it.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigError } from '../../src/config.js'
import { DataDirectoryInUseError } from '../../src/db/data-directory-lock.js'
import { databaseOutageOf, pgErrorOf } from '../../src/db/errors.js'

/** parseArgs, but a wrong option ends the program with one line pointing to --help (exit 2). */
export function parseCommandLine<T extends ParseArgsConfig>(config: T, command: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
      // Node's message goes on about positional arguments; its first sentence says what is wrong.
      process.stderr.write(`${(error as Error).message.split('. ')[0]} (npm run ${command} -- --help lists the options)\n`)
      process.exit(2)
    }
    throw error
  }
}

/** The reader of stdout went away (`| head`): what is left to print has no reader, so stop quietly. */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
}

/** A key given as an option is echoed by npm's banner and kept in shell history: say so, once. */
export function warnOfKeyOnCommandLine(given: boolean): void {
  if (given) {
    process.stderr.write('warning: a key given with --key is shown by npm and kept in your shell history; set PASSERELLE_KEY instead\n')
  }
}

/**
 * One line for what stops a command before it does anything (a bad setting, the embedded
 * database in use, a PostgreSQL database that does not exist or cannot be reached); the stack
 * trace only for what nobody foresaw.
 */
export function startupFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError) return error.message
  const url = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined
  const name = decodeURIComponent(url?.pathname.slice(1) ?? '') || 'passerelle'
  if (pgErrorOf(error)?.code === '3D000') {
    return `The database "${name}" does not exist on ${url?.host ?? 'the server'}: create it first (createdb ${name}, or CREATE DATABASE "${name}" in psql), then run this again`
  }
  const outage = databaseOutageOf(error)
  if (outage?.kind === 'unavailable') {
    return `Cannot reach PostgreSQL at ${url?.host ?? 'DATABASE_URL'} (${outage.cause.code}): is it running, and is DATABASE_URL right?`
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}
