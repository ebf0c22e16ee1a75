import t from 'tap'
import { assertPreconditions, isNotModified } from '../src/lib/preconditions.js'
import { admin, startTestApp } from './helpers/app.js'

// RFC 9110 §13.1.1–13.1.2: If-Match compares strongly (a weak tag never matches);
// If-None-Match compares weakly (W/"x" and "x" match), on reads and on writes.

t.test('If-None-Match uses weak comparison', async (t) => {
  t.ok(isNotModified('"3"', '"3"'))
  t.ok(isNotModified('W/"3"', '"3"'), 'a weak tag matches the strong tag with the same opaque value')
  t.ok(isNotModified('"1", W/"3"', '"3"'))
  t.ok(isNotModified('*', '"3"'))
  t.notOk(isNotModified('W/"4"', '"3"'))
  t.notOk(isNotModified('"W/3"', '"3"'), 'the W/ prefix belongs outside the quotes')
  t.notOk(isNotModified('3', '"3"'), 'an unquoted value is not an entity tag')
  t.throws(() => assertPreconditions({ ifNoneMatch: 'W/"3"' }, '"3"'), { code: 'PRECONDITION_FAILED' })
  t.doesNotThrow(() => assertPreconditions({ ifNoneMatch: 'W/"3"' }, undefined))
})

t.test('If-Match uses strong comparison', async (t) => {
  t.doesNotThrow(() => assertPreconditions({ ifMatch: '"3"' }, '"3"'))
  t.doesNotThrow(() => assertPreconditions({ ifMatch: '"1" , "3"' }, '"3"'))
  t.doesNotThrow(() => assertPreconditions({ ifMatch: '*' }, '"3"'))
  t.throws(() => assertPreconditions({ ifMatch: 'W/"3"' }, '"3"'), { code: 'PRECONDITION_FAILED' }, 'a weak tag never matches strongly')
  t.throws(() => assertPreconditions({ ifMatch: '*' }, undefined), { code: 'PRECONDITION_FAILED' })
})

t.test('over HTTP: a weak validator revalidates a read, and never satisfies If-Match', async (t) => {
  const { app } = await startTestApp(t)
  const url = '/v1/institutions/unibo.it'
  const body = { name: { en: 'University of Bologna' }, country: 'IT' }
  const created = await app.inject({ method: 'PUT', url, headers: admin, payload: body })
  t.equal(created.headers.etag, '"1"')

  const cached = await app.inject({ method: 'GET', url, headers: { 'if-none-match': 'W/"1"' } })
  t.equal(cached.statusCode, 304, 'a cache (or a proxy that weakened the tag) holding W/"1" is current')

  const createOnly = await app.inject({ method: 'PUT', url, headers: { ...admin, 'if-none-match': 'W/"1"' }, payload: body })
  t.equal(createOnly.statusCode, 412)

  const weakIfMatch = await app.inject({ method: 'PUT', url, headers: { ...admin, 'if-match': 'W/"1"' }, payload: { ...body, country: 'BE' } })
  t.equal(weakIfMatch.statusCode, 412)
  t.equal(weakIfMatch.json().code, 'PRECONDITION_FAILED')

  const strongIfMatch = await app.inject({ method: 'PUT', url, headers: { ...admin, 'if-match': '"1"' }, payload: { ...body, country: 'BE' } })
  t.equal(strongIfMatch.statusCode, 200)
  t.equal(strongIfMatch.headers.etag, '"2"')
})
