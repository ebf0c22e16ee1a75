// Response examples of the webhooks API (OpenAPI).

/** A subscription as listed: never its secret */
export const WEBHOOK_SUBSCRIPTION_EXAMPLE = {
  id: '5b1c2f7e-8a43-4d0e-9a55-2f0c1d6b7e90',
  url: 'https://mirror.example.eu/hooks/passerelle',
  description: 'Alliance portal mirror',
  events: [
    'offer',
    'institution.updated',
  ],
  institutions: null,
  alliances: [
    'una-europa',
  ],
  status: 'active',
  disabledReason: null,
  fromSequence: 1200,
  previousSecretExpiresAt: null,
  version: 1,
  createdAt: '2026-11-02T09:15:00.000Z',
  updatedAt: '2026-11-02T09:15:00.000Z',
}

/** A delivery that succeeded on its second attempt */
export const WEBHOOK_DELIVERY_EXAMPLE = {
  id: 4711,
  sequence: 1201,
  messageId: 'msg_seq_1201',
  status: 'succeeded',
  manual: false,
  attempts: 2,
  nextAttemptAt: null,
  createdAt: '2026-11-02T09:15:00.000Z',
  finishedAt: '2026-11-02T09:15:31.000Z',
  log: [
    {
      at: '2026-11-02T09:15:00.120Z',
      statusCode: 503,
      durationMs: 41,
      error: null,
      responseBody: 'Service Unavailable',
    },
    {
      at: '2026-11-02T09:15:31.000Z',
      statusCode: 204,
      durationMs: 18,
      error: null,
      responseBody: null,
    },
  ],
}

/** A signing secret as shown once, on creation or rotation */
export const SECRET_EXAMPLE = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
