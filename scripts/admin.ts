// Operator command line: `npm run admin -- <resource> <action> [options] [--json]`.
// It runs the service in-process against DATABASE_URL (or the embedded database) and calls
// the same routes an operator would, so validation, rules and errors are exactly the API's.
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline/promises'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase, type DatabaseHandle } from '../src/db/client.js'
import { createAuditService } from '../src/modules/audit/index.js'
import { reportLearnerCollisions } from './lib/admin-recognition.js'
import { exitQuietlyOnClosedPipe, parseCommandLine, startupFailure } from './lib/cli.js'

const USAGE = `Usage: npm run admin -- <command> [options] [--json]

  institutions list [--alliance <slug>] [--country <CC>]
  institutions get <schac>
  institutions put <schac> --name <lang=text> [--name <lang=text> …] --country <CC>
                   [--website <url>] [--erasmus-code <code>] [--deqar-id <id>] [--yes]
  institutions delete <schac>
  alliances list [--member <schac>]
  alliances get <slug>
  alliances put <slug> --name <text> --members <schac,schac,…> [--website <url>] [--yes]
  alliances members add <slug> <schac>      add one member, keeping the others
  alliances members remove <slug> <schac>   remove one member, keeping the others
  alliances delete <slug>
  clients create --name <text> --scopes <scope,scope,…> (--institution <schac> | --operator)
  clients list [--institution <schac>] [--include-revoked]   (revoked clients only with --include-revoked)
  clients revoke <id>
  audit verify             walk every audit chain and report the first broken link
  search-index status      how ranked search ranks, and how far the search indexer is behind
  search-index repair      queue every offer whose copy for ranked search is missing, out of
                           date or no longer wanted (the indexer then copies them)
  recognition learner-collisions
                           list individual decisions in force whose learner references are one
                           learner once normalised (exit code 1 when there are any)

A put replaces everything: when it would drop something (a member, a website, a name's
language …), it says what and asks first; --yes confirms without asking (for scripts), and
without a terminal it refuses unless --yes is given.

Scopes: catalogue:write, recognition:write, recognition:read, registry:admin (operators only).
The database is DATABASE_URL, or the embedded one in PGLITE_DATA_DIR (default ./data).`

class UsageError extends Error {}

const { values: options, positionals } = parseCommandLine({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    name: { type: 'string', multiple: true },
    country: { type: 'string' },
    website: { type: 'string' },
    'erasmus-code': { type: 'string' },
    'deqar-id': { type: 'string' },
    alliance: { type: 'string' },
    member: { type: 'string' },
    members: { type: 'string' },
    institution: { type: 'string' },
    operator: { type: 'boolean', default: false },
    scopes: { type: 'string' },
    'include-revoked': { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
  },
}, 'admin')
exitQuietlyOnClosedPipe()

interface Call {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  url: string
  body?: object
  /** Follow nextCursor and gather every item. */
  all?: boolean
  /** A replace: what it would drop from the resource as it is now (nothing: no question asked). */
  drops?: (current: Record<string, any>) => string[]
}

/** What a replace drops: the current values the new body no longer has. */
function institutionDrops(body: Record<string, any>) {
  return (current: Record<string, any>): string[] => [
    ...Object.keys(current.name).filter((language) => body.name?.[language] === undefined).map((language) => `name (${language}) "${current.name[language]}"`),
    ...(['website', 'erasmusCode', 'deqarId'] as const).filter((field) => current[field] !== null && body[field] === undefined).map((field) => `${field} "${current[field]}"`),
  ]
}

function allianceDrops(body: Record<string, any>) {
  return (current: Record<string, any>): string[] => {
    const members = (current.members as string[]).filter((member) => !body.members.includes(member))
    return [
      ...(members.length > 0 ? [`member${members.length === 1 ? '' : 's'} ${members.join(', ')}`] : []),
      ...(current.website !== null && body.website === undefined ? [`website "${current.website}"`] : []),
    ]
  }
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

function languageMap(entries: string[] | undefined): Record<string, string> | undefined {
  if (!entries) return undefined
  const map: Record<string, string> = {}
  for (const entry of entries) {
    const at = entry.indexOf('=')
    if (at <= 0) throw new UsageError(`--name takes lang=text, e.g. --name "en=University of Bologna" (got "${entry}")`)
    map[entry.slice(0, at)] = entry.slice(at + 1)
  }
  return map
}

function query(params: Record<string, string | boolean | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== false) search.set(key, String(value))
  const text = search.toString()
  return text ? `?${text}` : ''
}

function argument(index: number, what: string): string {
  const value = positionals[index]
  if (!value) throw new UsageError(`missing ${what}`)
  return encodeURIComponent(value)
}

function toCall(): Call {
  const [resource, action] = positionals
  const command = `${resource ?? ''} ${action ?? ''}`.trim()
  switch (command) {
    case 'institutions list':
      return { method: 'GET', url: `/v1/institutions${query({ alliance: options.alliance, country: options.country, limit: '100' })}`, all: true }
    case 'institutions get':
      return { method: 'GET', url: `/v1/institutions/${argument(2, '<schac>')}` }
    case 'institutions put': {
      const body = {
        name: languageMap(options.name),
        country: options.country,
        website: options.website,
        erasmusCode: options['erasmus-code'],
        deqarId: options['deqar-id'],
      }
      return { method: 'PUT', url: `/v1/institutions/${argument(2, '<schac>')}`, body, drops: institutionDrops(body) }
    }
    case 'institutions delete':
      return { method: 'DELETE', url: `/v1/institutions/${argument(2, '<schac>')}` }
    case 'alliances list':
      return { method: 'GET', url: `/v1/alliances${query({ member: options.member, limit: '100' })}`, all: true }
    case 'alliances get':
      return { method: 'GET', url: `/v1/alliances/${argument(2, '<slug>')}` }
    case 'alliances put': {
      const body = { name: options.name?.join(' '), website: options.website, members: list(options.members) }
      return { method: 'PUT', url: `/v1/alliances/${argument(2, '<slug>')}`, body, drops: allianceDrops(body) }
    }
    case 'alliances members':
      switch (positionals[2]) {
        case 'add':
          return { method: 'PUT', url: `/v1/alliances/${argument(3, '<slug>')}/members/${argument(4, '<schac>')}` }
        case 'remove':
          return { method: 'DELETE', url: `/v1/alliances/${argument(3, '<slug>')}/members/${argument(4, '<schac>')}` }
        default:
          throw new UsageError('alliances members takes add or remove, then <slug> <schac>')
      }
    case 'alliances delete':
      return { method: 'DELETE', url: `/v1/alliances/${argument(2, '<slug>')}` }
    case 'clients create':
      if (options.operator === (options.institution !== undefined)) {
        throw new UsageError('give exactly one of --institution <schac> or --operator')
      }
      return {
        method: 'POST',
        url: '/v1/clients',
        body: { institution: options.institution ?? null, name: options.name?.join(' '), scopes: list(options.scopes) },
      }
    case 'clients list':
      return {
        method: 'GET',
        url: `/v1/clients${query({ institution: options.institution, includeRevoked: options['include-revoked'], limit: '100' })}`,
        all: true,
      }
    case 'clients revoke':
      return { method: 'DELETE', url: `/v1/clients/${argument(2, '<id>')}` }
    case 'search-index status':
      return { method: 'GET', url: '/v1/search-index' }
    case 'search-index repair':
      return { method: 'POST', url: '/v1/search-index/repair' }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given')
  }
}

function printHuman(result: unknown): void {
  if (result === null) {
    process.stdout.write('done\n')
    return
  }
  if (Array.isArray(result)) {
    for (const item of result) process.stdout.write(`${summarise(item)}\n`)
    const hidden = positionals[0] === 'clients' && !options['include-revoked'] ? '; revoked clients are left out: --include-revoked lists them' : ''
    process.stdout.write(`(${result.length} in all${hidden})\n`)
    return
  }
  const record = result as Record<string, unknown>
  if (typeof record.key === 'string') {
    process.stdout.write(`${summarise(record)}\n\nAPI key (shown only now; store it safely):\n  ${record.key}\n`)
    return
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
}

function summarise(item: Record<string, unknown>): string {
  if ('schac' in item) return `${item.schac}\t${item.country}\t${Object.values(item.name as object)[0]}`
  if ('slug' in item) return `${item.slug}\t${item.name}\t${(item.members as string[]).join(', ')}`
  return `${item.id}\t${item.keyPrefix}_…\t${item.institution ?? '(operator)'}\t${(item.scopes as string[]).join(',')}\t${item.name}${item.revokedAt ? '\t(revoked)' : ''}`
}

/** Reads the audit trail directly: verification must not depend on the API it checks. */
async function verifyAudit(database: DatabaseHandle): Promise<number> {
  const reports = await createAuditService(database.db).verify()
  if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`)
  for (const report of options.json ? [] : reports) {
    process.stdout.write(
      report.broken
        ? `${report.chain}: BROKEN at record ${report.broken.id}: ${report.broken.reason}\n`
        : `${report.chain}: ${report.records} records, chain intact\n`,
    )
  }
  if (!options.json && reports.length === 0) process.stdout.write('the audit trail is empty\n')
  return reports.some((report) => report.broken) ? 1 : 0
}

async function main(): Promise<number> {
  if (options.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  // Commands that read the database directly rather than through the API.
  const direct = {
    'audit verify': verifyAudit,
    'recognition learner-collisions': (database: DatabaseHandle) => reportLearnerCollisions(database, options.json),
  }[positionals.slice(0, 2).join(' ')]
  if (direct) {
    const config = loadConfig()
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
    try {
      return await direct(database)
    } finally {
      await database.close()
    }
  }
  const call = toCall()
  const token = randomBytes(32).toString('hex')
  const config = { ...loadConfig(), adminToken: token, seedDemo: false, logLevel: 'silent' as const }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
  try {
    if (config.migrateOnStart) await database.migrate()
    const app = await buildApp({ config, database, logger: false })
    try {
      const headers = { authorization: `Bearer ${token}` }
      if (call.drops) {
        const current = await app.inject({ method: 'GET', url: call.url, headers })
        const drops = current.statusCode === 200 ? call.drops(current.json()) : []
        if (drops.length > 0 && !(await confirmed(`${positionals.slice(0, 3).join(' ')} replaces it whole and would drop: ${drops.join('; ')}`))) return 1
      }
      const items: unknown[] = []
      let url: string | undefined = call.url
      let result: unknown = null
      while (url) {
        const response = await app.inject({ method: call.method, url, headers, ...(call.body ? { payload: call.body } : {}) })
        const body = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : null
        if (response.statusCode >= 400) {
          reportProblem(body)
          return 1
        }
        if (!call.all) {
          result = body
          break
        }
        items.push(...(body!.items as unknown[]))
        const next: unknown = body!.nextCursor
        url = typeof next === 'string' ? `${call.url}&cursor=${encodeURIComponent(next)}` : undefined
        result = items
      }
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      else printHuman(result)
      return 0
    } finally {
      await app.close()
    }
  } finally {
    await database.close()
  }
}

/** Asks before a replace drops something: --yes answers for scripts; without a terminal and --yes, no. */
async function confirmed(what: string): Promise<boolean> {
  process.stderr.write(`${what}\n`)
  if (options.yes) return true
  const hint = positionals[0] === 'alliances' ? ' (to add or remove one member, use alliances members add|remove)' : ''
  if (!process.stdin.isTTY) {
    process.stderr.write(`not replacing: no terminal to confirm in; add --yes to replace anyway${hint}\n`)
    return false
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  const answer = await prompt.question('Replace? [y/N] ')
  prompt.close()
  if (/^y(es)?$/i.test(answer.trim())) return true
  process.stderr.write(`not replaced${hint}\n`)
  return false
}

function reportProblem(problem: Record<string, unknown> | null): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(problem, null, 2)}\n`)
    return
  }
  process.stderr.write(`error ${problem?.code ?? ''}: ${problem?.detail ?? 'unknown error'}\n`)
  for (const field of (problem?.errors as Array<{ pointer: string; detail: string }> | undefined) ?? []) {
    process.stderr.write(`  ${field.pointer || '/'}: ${field.detail}\n`)
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`)
      process.exit(2)
    }
    process.stderr.write(`${startupFailure(error)}\n`)
    process.exit(1)
  })
