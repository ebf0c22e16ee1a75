import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import t from 'tap'
import { OPENAPI_FILE, generateOpenApiDocument } from '../src/openapi-document.js'
import { startTestApp } from './helpers/app.js'

const generated = await generateOpenApiDocument()
const document = JSON.parse(generated)

t.test('the committed openapi/openapi.json is what the code generates', async (t) => {
  t.equal(readFileSync(OPENAPI_FILE, 'utf8'), generated, 'run `npm run openapi` and commit the result')
})

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const validator = new Validator()
  const result = await validator.validate(document)
  t.same(result.errors ?? [], [])
  t.equal(result.valid, true)
  t.equal(validator.version, '3.1')
})

t.test('every operation has an id, a tag, a summary and problem responses', async (t) => {
  const ids = new Set<string>()
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`
      t.type(operation.operationId, 'string', `${name} has an operationId`)
      t.notOk(ids.has(operation.operationId), `${name} operationId is unique`)
      ids.add(operation.operationId)
      t.ok(operation.tags?.length > 0, `${name} has tags`)
      t.type(operation.summary, 'string', `${name} has a summary`)
      // Any route checks a credential that is sent (401) and is rate limited (429); a route
      // whose method carries a body can meet one too large (413) or not JSON (415).
      const statuses = ['400', '401', '429', '500', '503', ...(['post', 'put', 'patch', 'delete'].includes(method) ? ['413', '415'] : [])]
      for (const status of statuses) {
        t.ok(operation.responses[status]?.content?.['application/problem+json'], `${name} documents ${status}`)
      }
      // Every operation says how it is called: public ones with or without a key (`{}`), the
      // others with one, and those can also be refused (403).
      t.ok(Array.isArray(operation.security) && operation.security.length > 0, `${name} declares its security`)
      if (!operation.security?.some((requirement: object) => Object.keys(requirement).length === 0)) {
        t.ok(operation.responses['401'] && operation.responses['403'], `${name} documents 401 and 403`)
      }
      // A parameter with a default need not be sent: generated clients must not force it.
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) t.notOk(parameter.required, `${name}: ${parameter.name} has a default, so it is optional`)
      }
    }
  }
  t.ok(ids.size >= 10)
})

t.test('generated clients get a base URL and schemas in standard JSON Schema only', async (t) => {
  t.match(document.servers, [{ url: '/' }])
  t.notMatch(generated, /"format(Minimum|Maximum)"/, 'no keywords only our validator knows')
  const limit = document.paths['/v1/offers'].get.parameters.find((parameter: { name: string }) => parameter.name === 'limit')
  t.match(limit, { in: 'query', required: false, schema: { default: 20 } })
})

t.test('components are named by schema $id', async (t) => {
  for (const name of ['Problem', 'Institution', 'Alliance', 'Client', 'CreatedClient', 'LanguageMap']) {
    t.ok(document.components.schemas[name], `${name} is a component`)
  }
  t.notMatch(generated, /"def-\d+"/, 'no anonymous def-N components')
})

t.test('the service serves the document, as JSON and YAML, and the docs page', async (t) => {
  const { app } = await startTestApp(t)
  const json = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(json.statusCode, 200)
  t.same(json.json(), document)
  const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' })
  t.equal(yaml.statusCode, 200)
  t.match(yaml.body, /^openapi: 3\.1\.0/m)
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger-ui/i)
})

t.test('webhooks: the subscription API and the payload are documented, and every request body of the module has a valid example', async (t) => {
  t.same(Object.keys(document.webhooks).sort(), ['change', 'ping'], 'the webhooks section names the change and the ping')
  t.equal(document.webhooks.change.post.requestBody.content['application/json'].schema.$ref, '#/components/schemas/WebhookPayload')
  t.same(Object.keys(document.components.schemas.WebhookPayload.properties.data.properties).sort(), ['action', 'at', 'id', 'sequence', 'type', 'url', 'validFrom', 'validUntil', 'version'])
  const operations = Object.entries<Record<string, any>>(document.paths)
    .filter(([path]) => path.startsWith('/v1/webhooks'))
    .flatMap(([path, item]) => Object.entries<any>(item).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })))
  t.same(operations.map(({ name }) => name).sort(), [
    'DELETE /v1/webhooks/{id}',
    'GET /v1/webhooks',
    'GET /v1/webhooks/{id}',
    'GET /v1/webhooks/{id}/deliveries',
    'POST /v1/webhooks',
    'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    'POST /v1/webhooks/{id}/pause',
    'POST /v1/webhooks/{id}/ping',
    'POST /v1/webhooks/{id}/replay',
    'POST /v1/webhooks/{id}/resume',
    'POST /v1/webhooks/{id}/rotate-secret',
    'PUT /v1/webhooks/{id}',
  ])
  const ajv = new Ajv2020({ strict: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'https://passerelle.invalid/openapi.json' })
  const resolve = (schema: { $ref?: string }) => (schema.$ref ? document.components.schemas[schema.$ref.split('/').at(-1)!] : schema)
  const bodies = [
    ...operations.filter(({ operation }) => operation.requestBody).map(({ name, operation }) => ({ name, pointer: operation.requestBody.content['application/json'].schema })),
    ...Object.entries<any>(document.webhooks).map(([name, item]) => ({ name: `webhook ${name}`, pointer: item.post.requestBody.content['application/json'].schema })),
  ]
  t.ok(bodies.length >= 4, 'subscriptions (create, update), replay, and the two messages')
  for (const { name, pointer } of bodies) {
    const schema = resolve(pointer)
    t.ok(Array.isArray(schema.examples) && schema.examples.length > 0, `${name}: the body has an example`)
    const validate = ajv.compile(pointer.$ref ? { $ref: `https://passerelle.invalid/openapi.json${pointer.$ref}` } : schema)
    for (const example of schema.examples ?? []) t.ok(validate(example), `${name}: its example is valid (${ajv.errorsText(validate.errors)})`)
  }
})

t.test('every JSON answer of every operation has an example that its schema accepts (a generated mock or doc page shows it)', async (t) => {
  const ajv = new Ajv2020({ strict: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'https://passerelle.invalid/openapi.json' })
  const resolve = (schema: { $ref?: string }) => (schema.$ref ? document.components.schemas[schema.$ref.split('/').at(-1)!] : schema)
  let answers = 0
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        const content = response.content?.['application/json'] ?? response.content?.['application/problem+json']
        if (!content) continue
        const name = `${method.toUpperCase()} ${path} ${status}`
        const schema = resolve(content.schema)
        // An inline schema's example is moved onto the media type.
        const examples = [...(schema.examples ?? []), ...(content.example === undefined ? [] : [content.example])]
        answers++
        if (!t.ok(examples.length > 0, `${name}: the answer has an example`)) continue
        const validate = ajv.compile(content.schema.$ref ? { $ref: `https://passerelle.invalid/openapi.json${content.schema.$ref}` } : schema)
        for (const example of examples) t.ok(validate(example), `${name}: its example is valid (${ajv.errorsText(validate.errors)})`)
      }
    }
  }
  t.ok(answers >= 300, `${answers} answers`)
})

t.test('every request body of every operation carries an example that its schema accepts', async (t) => {
  const ajv = new Ajv2020({ strict: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'https://passerelle.invalid/openapi.json' })
  const resolve = (schema: { $ref?: string }) => (schema.$ref ? document.components.schemas[schema.$ref.split('/').at(-1)!] : schema)
  let bodies = 0
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      for (const [mediaType, content] of Object.entries<any>(operation.requestBody?.content ?? {})) {
        const name = `${method.toUpperCase()} ${path} (${mediaType})`
        const schema = resolve(content.schema)
        const examples = [...(schema.examples ?? []), ...Object.values<any>(content.examples ?? {}).map((example) => example.value)]
        bodies++
        if (!t.ok(examples.length > 0, `${name}: the body has an example`)) continue
        const validate = ajv.compile(content.schema.$ref ? { $ref: `https://passerelle.invalid/openapi.json${content.schema.$ref}` } : schema)
        for (const example of examples) t.ok(validate(example), `${name}: its example is valid (${ajv.errorsText(validate.errors)})`)
      }
    }
  }
  t.ok(bodies >= 15, `${bodies} request bodies`)
})
