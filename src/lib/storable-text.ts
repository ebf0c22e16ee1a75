/**
 * Text PostgreSQL can store. Its text and jsonb types refuse U+0000, and an unpaired UTF-16
 * surrogate (which JSON's \uD800 escapes allow) has no UTF-8 form: such a value fails in the
 * database (a 500) or is silently altered. With the `u` flag a well-formed surrogate pair is
 * one code point, so `\p{Cs}` matches only unpaired halves.
 */
const UNSTORABLE = /[\u0000\p{Cs}]/u

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(value: string): string | undefined {
  const match = UNSTORABLE.exec(value)
  if (match === null) return undefined
  return match[0] === '\u0000' ? 'must not contain the character U+0000' : 'must not contain an unpaired UTF-16 surrogate'
}

export interface UnstorableString {
  /** JSON Pointer (RFC 6901) to the string, or to the property whose name is the culprit. */
  pointer: string
  detail: string
}

function token(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1')
}

/**
 * Every string and property name in a parsed JSON value (or a query or path object) that
 * cannot be stored, up to `limit` of them. Iterative, so a deeply nested body cannot exhaust
 * the stack.
 */
export function findUnstorableStrings(value: unknown, limit = 20): UnstorableString[] {
  const found: UnstorableString[] = []
  const pending: Array<[unknown, string]> = [[value, '']]
  while (pending.length > 0 && found.length < limit) {
    const [current, pointer] = pending.pop()!
    if (typeof current === 'string') {
      const reason = unstorableReason(current)
      if (reason) found.push({ pointer, detail: reason })
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) pending.push([current[index], `${pointer}/${index}`])
    } else if (current !== null && typeof current === 'object') {
      const keys = Object.keys(current)
      for (let index = keys.length - 1; index >= 0; index--) {
        const key = keys[index]!
        const reason = unstorableReason(key)
        if (reason) found.push({ pointer: `${pointer}/${token(key)}`, detail: `the property name ${reason}` })
        else pending.push([(current as Record<string, unknown>)[key], `${pointer}/${token(key)}`])
      }
    }
  }
  return found.slice(0, limit)
}
