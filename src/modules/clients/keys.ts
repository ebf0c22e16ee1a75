import { createHash, randomBytes } from 'node:crypto'

/**
 * API keys look like `psl_3f9a1c2b_<43 characters>`: a fixed marker (so secret scanners can
 * spot leaked keys), a non-secret prefix that identifies the key in listings and logs, and
 * 256 random bits. Only the SHA-256 of the whole key is stored; the entropy makes a slow
 * password hash unnecessary.
 */
const MARKER = 'psl'
const KEY_PATTERN = /^psl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/

export interface NewKey {
  key: string
  prefix: string
  hash: string
}

export function generateKey(): NewKey {
  const prefix = `${MARKER}_${randomBytes(4).toString('hex')}`
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`
  return { key, prefix, hash: hashKey(key) }
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function looksLikeKey(candidate: string): boolean {
  return KEY_PATTERN.test(candidate)
}
