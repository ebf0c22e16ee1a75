import t from 'tap'
import { loadConfig } from '../src/config.js'
import { prettyLogs } from '../src/logging.js'
import { databaseEnv, startServer } from './helpers/process.js'

t.test('logs are readable at a terminal and JSON otherwise, unless LOG_FORMAT says', async (t) => {
  t.equal(prettyLogs(loadConfig({}), true), true)
  t.equal(prettyLogs(loadConfig({}), false), false)
  t.equal(prettyLogs(loadConfig({ LOG_FORMAT: 'json' }), true), false)
  t.equal(prettyLogs(loadConfig({ LOG_FORMAT: 'pretty' }), false), true)
  t.throws(() => loadConfig({ LOG_FORMAT: 'yaml' }), /LOG_FORMAT/)
})

for (const format of ['json', 'pretty'] as const) {
  t.test(`the banner is printed apart from the logs (LOG_FORMAT=${format})`, async (t) => {
    const server = await startServer({ ...databaseEnv(undefined), LOG_LEVEL: 'info', LOG_FORMAT: format })
    await fetch(`${server.url}/health/live`)
    server.child.kill('SIGTERM')
    await server.exited
    t.match(server.output(), /\nPasserelle is up at http:\/\/127\.0\.0\.1:\d+\n {2}API docs: /)
    t.notMatch(server.stdout(), /Passerelle is up/, 'the banner is not among the log lines')
    const lines = server.stdout().split('\n').filter((line) => line.trim() !== '')
    if (format === 'json') t.same(lines.filter((line) => !line.startsWith('{')), [], 'nothing but JSON lines on stdout')
    const logLines = lines.filter((line) => /listening on|shutting down/.test(line))
    t.ok(logLines.length >= 2, 'the start and the end are logged')
    for (const line of logLines) {
      if (format === 'json') t.doesNotThrow(() => JSON.parse(line), `a JSON line: ${line}`)
      else t.throws(() => JSON.parse(line), `a readable line: ${line}`)
    }
  })
}
