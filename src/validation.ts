import AjvCompiler from '@fastify/ajv-compiler'
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
  },
}
