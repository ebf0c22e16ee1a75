import { Type, type Static } from 'typebox'
import { PageQuery, SchacCode, SchacParameter, Timestamp, Uuid, nullable, page, pageExamples, ref } from '../../schemas.js'
import { SCOPES, type Scope } from '../../lib/scopes.js'
import { CLIENT_EXAMPLE } from './examples.js'

export const ScopeSchema = Type.Union(
  [
    Type.Literal('catalogue:write'),
    Type.Literal('recognition:write'),
    Type.Literal('recognition:read'),
    Type.Literal('registry:admin'),
    Type.Literal('webhooks:manage'),
  ],
  { $id: 'Scope', description: 'A permission held by an API client' },
)

// Kept in step with SCOPES: a scope added there but not here fails to compile.
void (true satisfies (Scope extends Static<typeof ScopeSchema> ? true : never))

export const ClientInput = Type.Object(
  {
    institution: Type.Optional(
      Type.Union([ref(SchacCode), Type.Null()], {
        description:
          'The institution the client acts for; omit or null for an operator client, which may hold registry:admin only ' +
          '(catalogue:write, recognition:write and recognition:read act for an institution: 422 at /scopes/{i} without one)',
      }),
    ),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'What the client is, e.g. "SIS catalogue sync"' }),
    scopes: Type.Array(ref(ScopeSchema), { minItems: 1, maxItems: SCOPES.length }),
  },
  {
    $id: 'ClientInput',
    additionalProperties: false,
    examples: [{ institution: 'unibo.it', name: 'SIS catalogue sync', scopes: ['catalogue:write'] }],
  },
)
export type ClientInput = Static<typeof ClientInput>

export const Client = Type.Object(
  {
    id: Uuid(),
    institution: nullable(Type.String()),
    name: Type.String(),
    scopes: Type.Array(ref(ScopeSchema)),
    keyPrefix: Type.String({ description: 'Non-secret start of the key, to recognise it', examples: ['psl_3f9a1c2b'] }),
    createdAt: Timestamp,
    revokedAt: nullable(Timestamp),
  },
  { $id: 'Client', additionalProperties: false, examples: [CLIENT_EXAMPLE] },
)
export type Client = Static<typeof Client>

export const CreatedClient = Type.Object(
  {
    ...Client.properties,
    key: Type.String({ description: 'The API key. Shown only in this response: store it now' }),
  },
  { $id: 'CreatedClient', additionalProperties: false, examples: [{ ...CLIENT_EXAMPLE, key: 'psl_2fd72918_oFiFTOCbEv2ZZdzH6Rnc9G-0KqQfFc0vq73f7zzDLbs' }] },
)
export type CreatedClient = Static<typeof CreatedClient>

export const ClientPage = Type.Object(page(ref(Client)).properties, { $id: 'ClientPage', additionalProperties: false, examples: pageExamples(CLIENT_EXAMPLE) })

export const ClientListQuery = Type.Object(
  {
    institution: Type.Optional(SchacParameter),
    includeRevoked: Type.Boolean({ default: false }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const clientSchemas = [ScopeSchema, ClientInput, Client, CreatedClient, ClientPage]
