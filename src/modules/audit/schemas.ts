import { Type, type Static } from 'typebox'
import { DateTimeInput, PageQuery, nullable, page, pageExamples, ref } from '../../schemas.js'
import { AUDIT_RECORD_EXAMPLE } from './examples.js'

export const AuditRecord = Type.Object(
  {
    id: Type.Integer(),
    chain: Type.String({ description: 'The institution whose chain the record extends ("operators", "system")' }),
    at: Type.String({ format: 'date-time' }),
    clientId: nullable(Type.String()),
    institution: nullable(Type.String()),
    action: Type.String({ examples: ['offer.put', 'offers.synced', 'decision.created'] }),
    objectType: Type.String(),
    objectId: Type.String(),
    objectVersion: nullable(Type.Integer()),
    requestId: nullable(Type.String(), {
      description: 'The server\'s own id of the request that made the record (X-Request-Id of its response, and on its log lines)',
    }),
    callerRequestId: nullable(Type.String(), {
      description:
        'The X-Request-Id the caller sent, if any: the caller\'s own label, which several requests may share ' +
        '(records made before this field existed may have it in requestId)',
    }),
    details: Type.Record(Type.String(), Type.Unknown()),
    prevHash: nullable(Type.String()),
    hash: Type.String({ description: 'SHA-256 over the record and prevHash' }),
  },
  { $id: 'AuditRecord', additionalProperties: false, examples: [AUDIT_RECORD_EXAMPLE] },
)
export type AuditRecord = Static<typeof AuditRecord>

export const AuditPage = Type.Object(page(ref(AuditRecord)).properties, { $id: 'AuditPage', additionalProperties: false, examples: pageExamples(AUDIT_RECORD_EXAMPLE) })

export const AuditQuery = Type.Object(
  {
    institution: Type.Optional(Type.String({ maxLength: 253, description: 'Operators only: one institution\'s records' })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    objectType: Type.Optional(Type.String({ maxLength: 32 })),
    objectId: Type.Optional(Type.String({ maxLength: 253 })),
    since: Type.Optional(DateTimeInput()),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const auditSchemas = [AuditRecord, AuditPage]
