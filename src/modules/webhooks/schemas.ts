import { Type, type Static } from 'typebox'
import { PageQuery, SchacCode, Timestamp, Uuid, nullable, page, pageExamples, ref } from '../../schemas.js'
import { AllianceSlug } from '../registry/index.js'
import { CHANGE_ACTIONS, CHANGE_TYPES } from '../journal/index.js'
import { EVENT_NAMES } from './payloads.js'
import { SECRET_EXAMPLE, WEBHOOK_DELIVERY_EXAMPLE, WEBHOOK_SUBSCRIPTION_EXAMPLE } from './examples.js'

export const WebhookEvent = Type.Enum(EVENT_NAMES, {
  $id: 'WebhookEvent',
  description: 'A change type (every action of it), or one action of a type (`offer.published`)',
})

const nullableArray = <T extends Parameters<typeof Type.Array>[0]>(item: T, options: Record<string, unknown>) =>
  Type.Union([Type.Array(item, { maxItems: 100, uniqueItems: true }), Type.Null()], options)

export const WebhookSubscriptionInput = Type.Object(
  {
    url: Type.String({
      maxLength: 2000,
      description: 'Where events are POSTed: https (http only where the operator allows it), no credentials in it',
      examples: ['https://mirror.example.eu/hooks/passerelle'],
    }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    events: Type.Array(ref(WebhookEvent), { minItems: 1, maxItems: EVENT_NAMES.length, uniqueItems: true }),
    institutions: Type.Optional(nullableArray(ref(SchacCode), { description: 'Only changes of objects of these institutions (null or absent: any)' })),
    alliances: Type.Optional(nullableArray(AllianceSlug, { description: 'Only changes of objects of members of these alliances (null or absent: any)' })),
  },
  {
    $id: 'WebhookSubscriptionInput',
    additionalProperties: false,
    examples: [
      {
        url: 'https://mirror.example.eu/hooks/passerelle',
        description: 'Alliance portal mirror',
        events: ['offer', 'institution.updated'],
        institutions: null,
        alliances: ['una-europa'],
      },
    ],
  },
)
export type WebhookSubscriptionInput = Static<typeof WebhookSubscriptionInput>

const subscriptionProperties = {
  id: Uuid(),
  url: Type.String(),
  description: nullable(Type.String()),
  events: Type.Array(ref(WebhookEvent)),
  institutions: Type.Union([Type.Array(Type.String()), Type.Null()]),
  alliances: Type.Union([Type.Array(Type.String()), Type.Null()]),
  status: Type.Enum(['active', 'paused', 'disabled'], {
    description: 'Paused keeps queuing events and delivers them on resume; disabled queues nothing (replay to catch up)',
  }),
  disabledReason: nullable(Type.String(), { description: 'Why the service disabled it (410 Gone, failing too long)' }),
  fromSequence: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'It receives the feed entries after this sequence' }),
  previousSecretExpiresAt: nullable(Timestamp, { description: 'Until then, messages are signed with the previous secret too' }),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}

export const WebhookSubscription = Type.Object(subscriptionProperties, { $id: 'WebhookSubscription', additionalProperties: false, examples: [WEBHOOK_SUBSCRIPTION_EXAMPLE] })
export type WebhookSubscription = Static<typeof WebhookSubscription>

export const CreatedWebhookSubscription = Type.Object(
  { ...subscriptionProperties, secret: Type.String({ description: 'The signing secret (`whsec_…`), shown only in this response' }) },
  { $id: 'CreatedWebhookSubscription', additionalProperties: false, examples: [{ ...WEBHOOK_SUBSCRIPTION_EXAMPLE, secret: SECRET_EXAMPLE }] },
)
export type CreatedWebhookSubscription = Static<typeof CreatedWebhookSubscription>

export const WebhookSubscriptionPage = Type.Object(page(ref(WebhookSubscription)).properties, { $id: 'WebhookSubscriptionPage', additionalProperties: false, examples: pageExamples(WEBHOOK_SUBSCRIPTION_EXAMPLE) })

export const RotatedWebhookSecret = Type.Object(
  {
    secret: Type.String({ description: 'The new signing secret, shown only in this response' }),
    previousSecretExpiresAt: Timestamp,
  },
  { $id: 'RotatedWebhookSecret', additionalProperties: false, examples: [{ secret: SECRET_EXAMPLE, previousSecretExpiresAt: '2026-11-03T09:15:00.000Z' }] },
)
export type RotatedWebhookSecret = Static<typeof RotatedWebhookSecret>

export const WebhookAttempt = Type.Object(
  {
    at: Timestamp,
    statusCode: nullable(Type.Integer(), { description: 'Null when no response came' }),
    durationMs: Type.Integer({ minimum: 0 }),
    error: nullable(Type.String()),
    responseBody: nullable(Type.String({ description: 'The start of the response body (1 KiB at most)' })),
  },
  { $id: 'WebhookAttempt', additionalProperties: false },
)

export const WebhookDelivery = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    sequence: nullable(Type.Integer(), { description: 'The feed entry; null for a test ping' }),
    messageId: Type.String({ description: 'The webhook-id header, the same on every attempt and redelivery' }),
    status: Type.Enum(['pending', 'succeeded', 'failed']),
    manual: Type.Boolean({ description: 'Redelivery, replay or ping: does not count toward disabling' }),
    attempts: Type.Integer({ minimum: 0 }),
    nextAttemptAt: nullable(Timestamp, { description: 'When a pending delivery is next tried' }),
    createdAt: Timestamp,
    finishedAt: nullable(Timestamp),
    log: Type.Array(ref(WebhookAttempt)),
  },
  { $id: 'WebhookDelivery', additionalProperties: false, examples: [WEBHOOK_DELIVERY_EXAMPLE] },
)
export type WebhookDelivery = Static<typeof WebhookDelivery>

export const WebhookDeliveryPage = Type.Object(page(ref(WebhookDelivery)).properties, { $id: 'WebhookDeliveryPage', additionalProperties: false, examples: pageExamples(WEBHOOK_DELIVERY_EXAMPLE) })

export const WebhookReplayInput = Type.Object(
  {
    fromSequence: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Replay the entries after this sequence' }),
    toSequence: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Up to this one (default: the latest)' })),
  },
  { $id: 'WebhookReplayInput', additionalProperties: false, examples: [{ fromSequence: 1200, toSequence: 1500 }] },
)
export type WebhookReplayInput = Static<typeof WebhookReplayInput>

export const WebhookReplay = Type.Object(
  {
    queued: Type.Integer({ minimum: 0, description: 'Deliveries queued' }),
    scannedTo: Type.Integer({ minimum: 0, description: 'The last sequence looked at' }),
    complete: Type.Boolean({ description: 'False when the range was longer than one request replays: ask again from scannedTo' }),
  },
  { $id: 'WebhookReplay', additionalProperties: false, examples: [{ queued: 300, scannedTo: 1500, complete: true }] },
)
export type WebhookReplay = Static<typeof WebhookReplay>

/** The body of every webhook message (documented in the OpenAPI `webhooks` section). */
export const WebhookPayload = Type.Object(
  {
    type: Type.String({ description: '`<type>.<action>` of the change, or `webhook.ping`', examples: ['offer.published'] }),
    timestamp: Timestamp,
    data: Type.Object(
      {
        sequence: Type.Integer({ minimum: 1, description: 'The feed position: order, detect gaps, reconcile with GET /v1/changes?after=' }),
        type: Type.Enum(CHANGE_TYPES),
        id: Type.String(),
        action: Type.Enum(CHANGE_ACTIONS),
        version: nullable(Type.Integer()),
        at: Timestamp,
        validFrom: Type.Optional(
          Type.String({
            format: 'date',
            description: 'Recognition events: the decision\'s first day in force, as the change feed shows it. A decision starting or ending sends nothing: apply its dates',
          }),
        ),
        validUntil: Type.Optional(nullable(Type.String({ format: 'date' }), { description: 'Recognition events: the decision\'s last day in force; null for no end' })),
        url: Type.String({ description: 'Where to fetch the object (with the subscriber\'s own key)' }),
      },
      { additionalProperties: false },
    ),
  },
  {
    $id: 'WebhookPayload',
    additionalProperties: false,
    examples: [
      {
        type: 'offer.published',
        timestamp: '2026-03-02T09:15:00.000Z',
        data: {
          sequence: 1234,
          type: 'offer',
          id: '0f8fad5b-d9cb-469f-a165-70867728950e',
          action: 'published',
          version: 3,
          at: '2026-03-02T09:15:00.000Z',
          url: 'https://api.example.eu/v1/offers/0f8fad5b-d9cb-469f-a165-70867728950e',
        },
      },
      {
        type: 'recognition.created',
        timestamp: '2026-03-02T10:40:00.000Z',
        data: {
          sequence: 1240,
          type: 'recognition',
          id: '6a1f3c2e-9b7d-4e58-8c0a-3d2b1e4f5a69',
          action: 'created',
          version: null,
          at: '2026-03-02T10:40:00.000Z',
          validFrom: '2026-09-01',
          validUntil: '2027-08-31',
          url: 'https://api.example.eu/v1/recognitions/6a1f3c2e-9b7d-4e58-8c0a-3d2b1e4f5a69',
        },
      },
    ],
  },
)

export const WebhookListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

export const webhookSchemas = [
  WebhookEvent,
  WebhookSubscriptionInput,
  WebhookSubscription,
  CreatedWebhookSubscription,
  WebhookSubscriptionPage,
  RotatedWebhookSecret,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookReplayInput,
  WebhookReplay,
  WebhookPayload,
]
