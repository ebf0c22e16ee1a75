import type { InjectOptions } from 'fastify'
import t, { type Test } from 'tap'
import { admin, ownerAndPartner, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

/**
 * Input PostgreSQL cannot store or represent — U+0000, unpaired UTF-16 surrogates, dates and
 * numbers outside its types — is refused as a 400 naming the field, on every way in, instead
 * of failing in the database as a 500.
 */
const ctx = await startTestApp(t)
const { app } = ctx
const { owner, partner } = await ownerAndPartner(ctx)
const offer = (await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/H-1', headers: owner, payload: completeOffer() })).json()

type Inject = InjectOptions

/** The request is refused with a 400 whose errors name `pointer` in `location`. */
async function refused(t: Test, request: Inject, location: string, pointer: string, what: string) {
  const response = await app.inject(request)
  t.equal(response.statusCode, 400, `${what}: ${response.body.slice(0, 300)}`)
  t.match(response.headers['content-type'], /application\/problem\+json/)
  t.ok(
    (response.json().errors ?? []).some((error: { in: string; pointer: string }) => error.in === location && error.pointer === pointer),
    // JSON-quoted: a NUL in the test's output would make it a binary file to grep.
    `${what}: names ${location} ${JSON.stringify(pointer)}`,
  )
}

/** A JSON body as raw text, so that escapes such as \ud800 reach the server as written. */
function rawJson(method: 'PUT' | 'POST', url: string, headers: Record<string, string>, text: string): Inject {
  return { method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: text }
}

t.test('U+0000 and unpaired surrogates are refused on every way in, naming the field', async (t) => {
  await refused(t, { method: 'GET', url: '/v1/offers?q=data%00' }, 'query', '/q', 'NUL in the search text')
  await refused(t, { method: 'GET', url: '/v1/offers?institution=unibo%00.it' }, 'query', '/institution', 'NUL in a free query filter')
  await refused(t, { method: 'GET', url: '/v1/recognitions?learnerRef=a%00b', headers: partner }, 'query', '/learnerRef', 'NUL in a learner reference')
  await refused(t, { method: 'GET', url: '/v1/offers/00000000-0000-4000-8000-00000000000%00' }, 'path', '/id', 'NUL in a path parameter')

  const title = JSON.stringify(completeOffer()).replace('"Data literacy for researchers"', '"Data\\u0000literacy"')
  await refused(t, rawJson('PUT', '/v1/institutions/unibo.it/offers/H-2', owner, title), 'body', '/title/en', 'NUL in a title')
  const surrogate = JSON.stringify(completeOffer()).replace('"Data literacy for researchers"', '"Data \\ud800 literacy"')
  await refused(t, rawJson('PUT', '/v1/institutions/unibo.it/offers/H-2', owner, surrogate), 'body', '/title/en', 'an unpaired high surrogate')
  const low = JSON.stringify(completeOffer()).replace('"Find, clean, analyse and share research data responsibly."', '"\\udc00"')
  await refused(t, rawJson('PUT', '/v1/institutions/unibo.it/offers/H-2', owner, low), 'body', '/description/en', 'an unpaired low surrogate')
  await refused(
    t,
    rawJson('PUT', '/v1/institutions/ugent.be', admin, '{"name":{"en":"Ghent \\u0000"},"country":"BE"}'),
    'body',
    '/name/en',
    'NUL in an institution name',
  )
  await refused(
    t,
    rawJson('POST', '/v1/clients', admin, '{"institution":"unibo.it","name":"sync \\ud83d","scopes":["catalogue:write"]}'),
    'body',
    '/name',
    'a surrogate in a client name',
  )
  await refused(
    t,
    rawJson(
      'POST',
      '/v1/recognitions',
      partner,
      JSON.stringify({ offerId: offer.id, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'partial', creditsRecognised: 2, substantialDifferences: ['workload'], justification: 'x' }).replace('"x"', '"Two \\u0000 credits"'),
    ),
    'body',
    '/justification',
    'NUL in a justification',
  )
  const sync = JSON.stringify({ mode: 'upsert', offers: [{ externalId: 'H-3', ...completeOffer() }] }).replace('"Data literacy for researchers"', '"\\u0000"')
  await refused(t, rawJson('POST', '/v1/institutions/unibo.it/offers/sync?dryRun=true', owner, sync), 'body', '/offers/0/title/en', 'NUL in a synced offer')
  const key = JSON.stringify(completeOffer({ title: { en: 'x' } })).replace('"title":{"en":"x"}', '"title":{"en":"x","\\u0000":"y"}')
  await refused(t, rawJson('PUT', '/v1/institutions/unibo.it/offers/H-2', owner, key), 'body', '/title/\u0000', 'NUL in a property name')

  const stored = await app.inject({ method: 'GET', url: '/v1/offers/H-2' })
  t.not(stored.statusCode, 500)
})

t.test('dates and numbers the database cannot hold are 400s', async (t) => {
  const dateTimes = ['2026-06-30T23:59:60Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '2026-01-01T00:00:00+01', '2026-01-01T00:00:00']
  for (const value of dateTimes) {
    const encoded = encodeURIComponent(value)
    await refused(t, { method: 'GET', url: `/v1/offers?updatedSince=${encoded}` }, 'query', '/updatedSince', `updatedSince=${value}`)
    await refused(t, { method: 'GET', url: `/v1/audit?since=${encoded}`, headers: owner }, 'query', '/since', `since=${value}`)
    await refused(t, { method: 'GET', url: `/v1/recognitions?decidedSince=${encoded}` }, 'query', '/decidedSince', `decidedSince=${value}`)
    await refused(
      t,
      { method: 'POST', url: '/v1/recognitions', headers: partner, payload: { offerId: offer.id, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3, decidedAt: value } },
      'body',
      '/decidedAt',
      `decidedAt=${value}`,
    )
  }
  await refused(t, { method: 'GET', url: '/v1/offers?startsAfter=0000-01-01' }, 'query', '/startsAfter', 'startsAfter in year 0')
  await refused(
    t,
    { method: 'POST', url: '/v1/recognitions', headers: partner, payload: { offerId: offer.id, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3, validFrom: '0000-02-29' } },
    'body',
    '/validFrom',
    'validFrom in year 0',
  )
  await refused(t, { method: 'PUT', url: '/v1/institutions/unibo.it/offers/H-4', headers: owner, payload: completeOffer({ startDate: '0000-01-01' }) }, 'body', '/startDate', 'startDate in year 0')
  await refused(t, { method: 'GET', url: '/v1/changes?after=1e20' }, 'query', '/after', 'a sequence beyond 2^53')
  await refused(t, { method: 'GET', url: `/v1/offers/${offer.id}/versions/2147483648` }, 'path', '/version', 'a version beyond a 32-bit integer')
  await refused(
    t,
    { method: 'POST', url: '/v1/recognitions', headers: partner, payload: { offerId: offer.id, offerVersion: 2147483648, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3 } },
    'body',
    '/offerVersion',
    'an offer version beyond a 32-bit integer',
  )

  const accepted = await app.inject({ method: 'GET', url: `/v1/offers?updatedSince=${encodeURIComponent('2026-01-01T00:00:00.123456+01:00')}&startsAfter=0001-01-01` })
  t.equal(accepted.statusCode, 200, 'RFC 3339 with an hh:mm offset and microseconds is fine')
})

t.test('a dry-run sync fails where the real one would', async (t) => {
  const offers = [{ externalId: 'H-5', ...completeOffer({ startDate: '0000-01-01' }) }]
  for (const dryRun of [true, false]) {
    const response = await app.inject({ method: 'POST', url: `/v1/institutions/unibo.it/offers/sync?dryRun=${dryRun}`, headers: owner, payload: { mode: 'upsert', offers } })
    t.equal(response.statusCode, 422, `dryRun=${dryRun}: ${response.body.slice(0, 200)}`)
    t.match(response.json().invalidOffers, [{ index: 0, code: 'VALIDATION_FAILED', errors: [{ pointer: '/offers/0/startDate' }] }])
  }
})
