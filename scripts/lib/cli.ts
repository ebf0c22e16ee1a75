// What every command line of the project does the same way: one line for a mistyped option
// instead of a stack trace, a quiet exit when the reader of its output goes away (`| head`),
// and a warning when a key is typed where shells and npm echo it.
import { parseArgs, type ParseArgsConfig } from 'node:util'

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
