import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadConfig } from '../src/config.js'
import { PORTAL_CSP } from '../src/plugins/portal.js'
import { startTestApp } from './helpers/app.js'
import { builtPortal } from './helpers/portal.js'

// The service serves the portal (src/portal/, bundled by esbuild) at /, /offer/:id and
// /registrar, its assets under /portal/, under a strict CSP of its own; the API keeps its headers.

t.test('the portal pages, their assets and their Content-Security-Policy', async (t) => {
  const bundle = await builtPortal(t)
  const { app } = await startTestApp(t, { config: { portalDir: bundle.outDir } })

  for (const page of ['/', '/offer/3f2b8c1e-5d4a-4e7b-9c2d-1a6f0e8b7c35', '/registrar', '/?q=data&eqfLevel=7']) {
    const response = await app.inject({ method: 'GET', url: page })
    t.equal(response.statusCode, 200, page)
    t.match(response.headers['content-type'], /^text\/html/, `${page} is the portal's page`)
    t.equal(response.headers['content-security-policy'], PORTAL_CSP)
    t.equal(response.headers['cache-control'], 'no-cache', 'revalidated: it names the current assets')
    t.equal(response.headers['x-content-type-options'], 'nosniff', 'the service\'s other security headers too')
    t.notMatch(response.body, /<script>|<style|\sstyle=|\son[a-z]+=/, 'nothing inline')
  }
  t.match(PORTAL_CSP, /default-src 'none'/)
  t.notMatch(PORTAL_CSP, /unsafe|https?:|\*/, 'no inline code, no other origin')

  const html = (await app.inject({ method: 'GET', url: '/' })).body
  const assets = [...html.matchAll(/(?:src|href)="(\/portal\/[^"]+)"/g)].map((match) => match[1]!)
  t.equal(assets.length, 2, 'one script, one stylesheet')
  for (const asset of assets) {
    const response = await app.inject({ method: 'GET', url: asset })
    t.equal(response.statusCode, 200, asset)
    t.match(response.headers['content-type'], asset.endsWith('.js') ? /javascript/ : /^text\/css/)
    t.match(response.headers['cache-control'], /immutable/, 'named by its hash: cached for good')
    t.equal(response.headers['content-security-policy'], PORTAL_CSP)
  }
  const total = Object.entries(bundle.sizes).filter(([file]) => !file.endsWith('.map')).reduce((sum, [, bytes]) => sum + bytes, 0)
  t.ok(total < 120_000, `the whole portal is small: ${total} bytes before compression`)

  for (const missing of ['/portal/nothing.js', '/portal/..%2fpackage.json', '/portal/.hidden', '/portal/index']) {
    const response = await app.inject({ method: 'GET', url: missing })
    t.equal(response.statusCode, 404, `${missing}: nothing outside the bundle`)
    t.match(response.headers['content-type'], /application\/problem\+json/)
  }
  const absent = await app.inject({ method: 'GET', url: '/offer/x/y' })
  t.equal(absent.statusCode, 404)
  t.match(absent.headers['content-type'], /application\/problem\+json/)

  const api = await app.inject({ method: 'GET', url: '/v1/alliances' })
  t.equal(api.statusCode, 200)
  t.equal(api.headers['content-security-policy'], undefined, 'the API\'s JSON answers keep their headers')
  const docs = await app.inject({ method: 'GET', url: '/docs/static/index.html' })
  t.not(docs.headers['content-security-policy'], PORTAL_CSP, 'the docs page keeps its own policy')
  const spec = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body) as { paths: Record<string, unknown> }
  t.notOk(Object.keys(spec.paths).some((route) => route === '/' || route.startsWith('/portal') || route === '/registrar'), 'the pages are not API operations')
})

t.test('without a bundle the service runs without the portal and says so', async (t) => {
  const empty = mkdtempSync(path.join(tmpdir(), 'passerelle-no-portal-'))
  t.teardown(() => rmSync(empty, { recursive: true, force: true }))
  const lines: string[] = []
  const logger = { level: 'warn', stream: { write: (line: string) => lines.push(line) } }
  const { app } = await startTestApp(t, { config: { portalDir: empty }, logger })
  const response = await app.inject({ method: 'GET', url: '/' })
  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], /application\/problem\+json/)
  t.ok(lines.some((line) => line.includes('no portal bundle') && line.includes(empty)), 'the log names PORTAL_DIR')
  t.equal((await app.inject({ method: 'GET', url: '/v1/alliances' })).statusCode, 200, 'the API is there')
})

t.test('PORTAL_DIR: dist/portal/ of the checkout unless set', async (t) => {
  t.equal(loadConfig({}).portalDir, path.resolve(import.meta.dirname, '../dist/portal'))
  t.equal(loadConfig({ PORTAL_DIR: 'build/portal' }).portalDir, path.resolve('build/portal'))
})
