import AjvCompiler from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

/**
 * Request validation: Fastify's own Ajv compiler, with one instance per kind of request part.
 * Query strings, path parameters and headers arrive as text, so they are coerced to the types
 * their schemas declare (`?eqfLevel=7` is the number 7, a single `?x=` the one-item array).
 * JSON bodies carry their own types and are taken as sent: `"ects": "5"` or `[5]` is no
 * number, and a client that sends one learns it (400) instead of having it silently fixed.
 * Both instances get every schema added with `addSchema`, so `$ref`s resolve in all parts.
 */
const buildCompiler = AjvCompiler()

/**
 * Response serialisation: Fastify's own fast-json-stringify compiler, each distinct response
 * schema compiled once. Fastify compiles one serialiser per route and status code, and most of
 * them are the same few schemas (every route's problem responses are one `$ref` to `Problem`):
 * compiled route by route, they took some 5 s of every start of the service (and of every test
 * that builds the app). A serialiser depends only on its schema and the shared schemas, which
 * are the same for every route of one compiler, so equal schemas share one.
 */
const buildSerializerCompiler = SerializerSelector()

const COMMON = {
  // Report every failing field, and reject unknown fields instead of dropping them.
  allErrors: true,
  removeAdditional: false,
} as const

export const schemaController: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildValidator(externalSchemas, serverOptions) {
      const options = serverOptions as { customOptions?: object } | undefined
      const compilerFor = (coerceTypes: 'array' | false) =>
        buildCompiler(externalSchemas as Parameters<typeof buildCompiler>[0], {
          ...options,
          customOptions: { ...options?.customOptions, ...COMMON, coerceTypes },
        })
      const bodies = compilerFor(false)
      const text = compilerFor('array')
      return (route) => (route.httpPart === 'body' ? bodies : text)(route)
    },
    buildSerializer(externalSchemas, serializerOptions) {
      const compile = buildSerializerCompiler(externalSchemas as Parameters<typeof buildSerializerCompiler>[0], serializerOptions)
      const compiled = new Map<string, ReturnType<typeof compile>>()
      return (route) => {
        const key = JSON.stringify(route.schema)
        let serialize = compiled.get(key)
        if (serialize === undefined) {
          serialize = compile(route)
          compiled.set(key, serialize)
        }
        return serialize
      }
    },
  },
}
