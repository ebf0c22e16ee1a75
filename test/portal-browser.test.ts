import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Locator, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { seedDemo } from '../src/demo/seed.js'
import { startTestApp } from './helpers/app.js'
import { builtPortal } from './helpers/portal.js'
import { requires } from './helpers/requires.js'

/**
 * The portal in a real browser (Debian's chromium, driven by playwright-core; nothing is
 * downloaded) against the service on the demo data: search and filter, open an offer, switch its
 * language and the interface's, share a URL and reload it, run a registrar batch and download
 * the CSV; axe-core in each page (no serious or critical violation); screenshots at phone and
 * desktop widths in test-artifacts/portal/ (gitignored). Without Chromium this file is skipped,
 * saying so, and fails in CI.
 */
await requires(t, 'chromium')

const CHROMIUM = '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ARTEFACTS = path.resolve(import.meta.dirname, '../test-artifacts/portal')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 900 }

const bundle = await builtPortal(t)
const ctx = await startTestApp(t, { config: { portalDir: bundle.outDir } })
await seedDemo(ctx.database.handle.db)
const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })

const userDataDir = mkdtempSync(path.join(tmpdir(), 'passerelle-chromium-'))
const downloads = mkdtempSync(path.join(tmpdir(), 'passerelle-downloads-'))
t.teardown(() => {
  rmSync(userDataDir, { recursive: true, force: true })
  rmSync(downloads, { recursive: true, force: true })
})
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  args: FLAGS,
  headless: true,
  viewport: DESKTOP,
  locale: 'en-GB',
  acceptDownloads: true,
  downloadsPath: downloads,
})
t.teardown(() => browser.close())
mkdirSync(ARTEFACTS, { recursive: true })

/** What each test's pages reported that they should not have (a CSP violation is a console error). */
const reported = new Map<Test, string[]>()

async function open(t: Test, url: string): Promise<Page> {
  const page = await browser.newPage()
  const problems = reported.get(t) ?? []
  reported.set(t, problems)
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => problems.push(error.message))
  t.teardown(() => page.close())
  await page.goto(`${base}${url}`)
  return page
}

/** The test's last assertion: its pages reported no console error, CSP violation or uncaught exception. */
function noErrors(t: Test) {
  t.same(reported.get(t) ?? [], [], 'no console error, no CSP violation, no uncaught exception')
}

/** axe-core's serious and critical violations in the page as it is now. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE)
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => violation.id + ': ' + violation.nodes.map((node) => node.target.join(' ')).join(', ')))`)
}

async function screenshots(t: Test, page: Page, name: string) {
  for (const [width, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(size)
    await page.screenshot({ path: path.join(ARTEFACTS, `${name}-${width}.png`), fullPage: true })
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as number
    t.ok(overflow <= 0, `${name} at ${width} width: no sideways scrolling (${overflow} px too wide)`)
  }
  await page.setViewportSize(DESKTOP)
}

const summary = (page: Page) => page.locator('p[role="status"]')

/** Waits until `locator` shows `text` (the page answers asynchronously), then passes; else fails with what it shows. */
async function shows(t: Test, locator: Locator, text: string | RegExp, message = `shows ${String(text)}`) {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 })
    t.pass(message)
  } catch {
    t.fail(message, { found: await locator.first().textContent().catch(() => null), wanted: String(text) })
  }
}

t.test('search and filter; the URL holds the search, and reloading it shows the same page', async (t) => {
  const page = await open(t, '/')
  await page.getByRole('heading', { level: 1, name: 'Find a micro-credential' }).waitFor()
  await shows(t, summary(page), /offers? on this page/)
  t.ok(await page.locator('.offer-card').count() >= 8, 'the demo catalogue\'s published offers')

  // By keyboard: the skip link first, then the search box and Enter.
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content')
  await page.getByLabel('Search', { exact: true }).fill('data')
  await page.getByLabel('EQF level').selectOption('7')
  await page.getByLabel('Alliance').selectOption('una-europa')
  await page.getByLabel('Search', { exact: true }).press('Enter')
  await page.waitForURL(/\?q=data&eqfLevel=7&alliance=una-europa$/)
  await shows(t, summary(page), /^1 offer on this page/)
  t.same(await page.locator('.offer-card h3').allTextContents(), ['Data literacy for researchers'])
  t.same(await accessibilityProblems(page), [], 'axe: no serious or critical violation on the search page')
  await screenshots(t, page, 'search')

  // Shared: another tab opens the URL and shows the same search, form included.
  const shared = await open(t, new URL(page.url()).pathname + new URL(page.url()).search)
  await shows(t, summary(shared), /^1 offer on this page/)
  t.equal(await shared.getByLabel('Search', { exact: true }).inputValue(), 'data')
  t.equal(await shared.getByLabel('EQF level').inputValue(), '7')
  t.equal(await shared.getByLabel('Alliance').inputValue(), 'una-europa')
  await shared.reload()
  await shows(t, summary(shared), /^1 offer on this page/)

  // A filter nothing matches says so, in the live region.
  await page.getByLabel('ECTS at least').fill('50')
  await page.getByRole('button', { name: 'Search' }).click()
  await page.waitForURL(/ectsMin=50/)
  await shows(t, summary(page), 'No offer matches this search.')
  noErrors(t)
})

t.test('run filters: open for application now, by mode; the same offers as the API gives', async (t) => {
  const page = await open(t, '/')
  await shows(t, summary(page), /offers? on this page/)
  await page.getByLabel('Open for application now').check()
  await page.getByLabel('Run mode').selectOption('online')
  await page.getByRole('button', { name: 'Search' }).click()
  await page.waitForURL(/\?openNow=true&mode=online$/)
  const { items } = await (await fetch(`${base}/v1/offers?openNow=true&mode=online&limit=100`)).json() as { items: Array<{ id: string }> }
  t.ok(items.length > 0, 'the demo has runs open for application online')
  await shows(t, summary(page), new RegExp(`^${items.length} offers? on this page`))
  const shown = await Promise.all((await page.locator('.offer-card h3 a').all()).map((link) => link.getAttribute('href')))
  t.same(shown.sort(), items.map((item) => `/offer/${item.id}`).sort())
  t.equal(await page.getByLabel('Open for application now').isChecked(), true, 'the form shows the search')
  t.same(await accessibilityProblems(page), [], 'axe: no serious or critical violation with the run filters')
  noErrors(t)
})

t.test('cursor paging: the next page\'s cursor is in the URL too', async (t) => {
  // The portal pages by 20 and the demo has fewer offers: start from the API's cursor of a page of 2.
  const { items, nextCursor } = await (await fetch(`${base}/v1/offers?limit=2`)).json() as { items: Array<{ id: string }>; nextCursor: string }
  const page = await open(t, `/?cursor=${encodeURIComponent(nextCursor)}`)
  await shows(t, summary(page), /offers? on this page/)
  const after = await Promise.all((await page.locator('.offer-card h3 a').all()).map((link) => link.getAttribute('href')))
  t.notOk(after.includes(`/offer/${items[0]!.id}`), 'the page after the cursor, without the first page\'s offers')
  await page.getByRole('link', { name: 'First page' }).click()
  await page.waitForURL(`${base}/`)
  await shows(t, summary(page), /offers? on this page/)
  t.equal(await page.getByRole('link', { name: 'First page' }).count(), 0)
  noErrors(t)
})

t.test('an offer: every Annex I element, its language, the interface\'s, its versions and recognitions', async (t) => {
  const page = await open(t, '/?q=donnees')
  await page.getByRole('link', { name: 'Data literacy for researchers' }).click()
  await page.waitForURL(/\/offer\/[0-9a-f-]{36}$/)
  const heading = page.getByRole('heading', { level: 1 })
  await shows(t, heading, 'Data literacy for researchers')
  t.equal(await page.evaluate('document.activeElement.tagName'), 'H1', 'focus moves to the new page\'s heading')
  for (const element of ['Provider', 'Country of the issuer', 'Awarding bodies', 'Learning outcomes', 'Notional workload', 'EQF level', 'Assessment', 'Form of participation', 'Quality assurance', 'Prerequisites', 'Supervision and identity verification', 'Grading', 'Integration and stackability', 'Further information']) {
    t.equal(await page.locator('dt', { hasText: element }).count(), 1, element)
  }
  const recognition = page.getByRole('region', { name: 'Where it is recognised' })
  await shows(t, recognition, /kuleuven\.be/)
  await shows(t, recognition, /learningOutcomes \(material\)/, 'offer changed since the decision')
  t.ok(await page.locator('.versions li').count() >= 2, 'its versions')
  t.same(await accessibilityProblems(page), [], 'axe: no serious or critical violation on the offer page')
  await screenshots(t, page, 'offer')

  await page.getByLabel('Language of the offer').selectOption('fr')
  await page.waitForURL(/\?lang=fr$/)
  await shows(t, heading, 'Littératie des données pour la recherche')
  t.equal(await heading.locator('span').getAttribute('lang'), 'fr', 'marked as French for screen readers')
  await page.reload()
  await shows(t, heading, 'Littératie des données pour la recherche', 'the language is in the URL')

  await page.getByLabel('Interface language').selectOption('de')
  await shows(t, page.getByRole('heading', { level: 2 }), 'Der Nachweis (Anhang I der Empfehlung des Rates)')
  t.equal(await page.evaluate('document.documentElement.lang'), 'de')
  await page.getByLabel('Sprache der Oberfläche').selectOption('fr')
  await shows(t, page.getByRole('navigation').getByRole('link'), 'Chercher des offres')
  await page.getByLabel('Langue de l\'interface').selectOption('en')
  // The choice is kept (localStorage) for the pages the next tests open in this browser: wait
  // until it is, or a busy machine closes this page first and they open in French.
  await page.waitForFunction("document.documentElement.lang === 'en' && localStorage.getItem('passerelle.interfaceLanguage') === 'en'")
  await shows(t, page.getByRole('navigation').getByRole('link'), 'Search offers')
  noErrors(t)
})

t.test('a registrar batch: an institution\'s offers and pasted ids, in one table, downloaded as CSV', async (t) => {
  const page = await open(t, '/registrar')
  await page.getByRole('heading', { level: 1, name: 'Recognition status of many offers' }).waitFor()
  await page.getByLabel('Or take the offers of').selectOption('unibo.it')
  await page.getByRole('button', { name: 'Add its offers' }).click()
  await shows(t, page.locator('#r-ids-hint'), '2 offer ids')
  await page.getByLabel('Offer ids (any separators)').press('End')
  await page.keyboard.type('\n00000000-0000-4000-8000-000000000000')
  await shows(t, page.locator('#r-ids-hint'), '3 offer ids')
  await page.getByRole('button', { name: 'Get the status' }).click()
  await shows(t, summary(page), /rows for 3 offers/)
  const table = page.getByRole('region', { name: 'Recognition status of many offers' })
  await shows(t, table, /kuleuven\.be/)
  await shows(t, table, /00000000-0000-4000-8000-000000000000 \(not found\)/)
  t.same(await accessibilityProblems(page), [], 'axe: no serious or critical violation on the registrar page')
  await screenshots(t, page, 'registrar')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()])
  t.equal(download.suggestedFilename(), 'recognition-status.csv')
  const csv = readFileSync((await download.path())!, 'utf8')
  const lines = csv.trimEnd().split('\r\n')
  t.equal(lines[0], 'offerId,found,currentVersion,offerWithdrawn,recognisingInstitution,outcome,creditsRecognised,recognisedAs,validFrom,validUntil,coversCurrentVersion,offerChangedSince')
  t.equal(lines.length - 1, await page.locator('table.status tbody tr').count(), 'a line for each row of the table')
  t.match(csv, /,kuleuven\.be,/)
  t.match(csv, /00000000-0000-4000-8000-000000000000,false,,false,/)
  noErrors(t)
})
