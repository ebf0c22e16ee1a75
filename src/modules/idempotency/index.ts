// Idempotency keys: a retried write replays the first response instead of running again.
export { IDEMPOTENCY_TTL_MS, runIdempotent, type IdempotencyRequest, type SecretResponse, type WriteResponse } from './service.js'
