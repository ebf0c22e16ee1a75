import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { readInterop } from './interop.js'

/**
 * The official OOAPI v5 schemas (../shared/interop/ooapi/v5/ooapi.json, OpenAPI 3.0.3) compiled
 * with Ajv draft-07, as the interop README says: components.schemas under $defs, strictTypes
 * off, OOAPI's own keywords known.
 */
export function ooapiSchemas() {
  const document = JSON.parse(readInterop('ooapi/v5/ooapi.json').replaceAll('#/components/schemas/', '#/$defs/'))
  const ajv = new Ajv({ strictTypes: false, allErrors: true, keywords: ['example', 'x-ooapi-extensible-enum'] })
  addFormats.default(ajv)
  const compiled = new Map<string, ValidateFunction>()
  const compile = (key: string, schema: object) => {
    if (!compiled.has(key)) compiled.set(key, ajv.compile({ $defs: document.components.schemas, ...schema }))
    return compiled.get(key)!
  }
  const errorsOf = (validate: ValidateFunction, body: unknown) => (validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`))
  return {
    document,
    /** What is wrong with a body as the 200 response of GET `path` (the OOAPI path template), [] when valid. */
    response(path: string, body: unknown): string[] {
      const schema = document.paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema
      if (!schema) throw new Error(`OOAPI v5 has no GET ${path}`)
      return errorsOf(compile(`path:${path}`, schema), body)
    },
    /** What is wrong with a body as the named component schema. */
    schema(name: string, body: unknown): string[] {
      return errorsOf(compile(`schema:${name}`, { $ref: `#/$defs/${name}` }), body)
    },
  }
}
