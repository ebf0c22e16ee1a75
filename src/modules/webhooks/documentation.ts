// The OpenAPI 3.1 `webhooks` section: what the service POSTs to a subscriber.

const signatureHeaders = [
  { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' }, description: 'The message id: the same on every retry, redelivery and replay of one event (`msg_seq_<sequence>`); use it to drop duplicates' },
  { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' }, description: 'Seconds since the epoch when this attempt was signed; refuse messages too far from your clock' },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'Space-separated `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>` keyed with the base64-decoded part of the `whsec_` secret (Standard Webhooks); two during a secret rotation',
  },
]

const event = (operationId: string, summary: string, description: string, schema: Record<string, unknown>) => ({
  post: {
    operationId,
    summary,
    description,
    tags: ['webhooks'],
    // Not a call to this service: signed (see the headers), not authenticated by a scheme.
    security: [],
    parameters: signatureHeaders,
    requestBody: { required: true, content: { 'application/json': { schema } } },
    responses: {
      '2XX': { description: 'Delivered. Any other answer (or none within the time-out) is retried with back-off for about a day; redirects are not followed' },
      410: { description: 'Gone: the subscription is disabled' },
    },
  },
})

export const webhookDocumentation = {
  change: event(
    'receiveChange',
    'A change of an offer, a recognition decision or an institution',
    'Sent at least once, not in order: `data.sequence` is the change-feed position (order, detect gaps, and reconcile with `GET /v1/changes?after=`). ' +
      'Thin: it names the object and its version and where to fetch it, never its content (a recognition decision\'s event also carries its validFrom and validUntil, as the feed does); ' +
      'private changes reach only subscriptions whose client may read them.',
    { $ref: '#/components/schemas/WebhookPayload' },
  ),
  ping: event('receivePing', 'A test message (`webhook.ping`), sent on request', 'Signed like every message; its `data` names the subscription.', {
    type: 'object',
    required: ['type', 'timestamp', 'data'],
    additionalProperties: false,
    examples: [{ type: 'webhook.ping', timestamp: '2026-03-02T09:15:00.000Z', data: { subscription: '5b1c2f7e-8a43-4d0e-9a55-2f0c1d6b7e90' } }],
    properties: {
      type: { const: 'webhook.ping' },
      timestamp: { type: 'string', format: 'date-time' },
      data: { type: 'object', required: ['subscription'], additionalProperties: false, properties: { subscription: { type: 'string', format: 'uuid' } } },
    },
  }),
}
