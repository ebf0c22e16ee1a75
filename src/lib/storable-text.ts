/**
 * Text PostgreSQL can store. Its text and jsonb types refuse U+0000, and an unpaired UTF-16
 * surrogate (which JSON's \uD800 escapes allow) has no UTF-8 form: such a value fails in the
 * database (a 500) or is silently altered. With the `u` flag a well-formed surrogate pair is
 * one code point, so `\p{Cs}` matches only unpaired halves; the cheaper test without it comes
 * first, since almost every string has neither (a sync body holds hundreds of thousands).
 */
// U+0000 is exactly the control character looked for here.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000\ud800-\udfff]/
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\u0000\p{Cs}]/u

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(value: string): string | undefined {
  if (!SUSPECT.test(value)) return undefined
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

/** Values looked at between two pauses of a walk (see unstorableStringSteps). */
const STEP = 20_000

/**
 * Every string and property name in a parsed JSON value (or a query or path object) that
 * cannot be stored, up to `limit` of them. A generator that pauses after every STEP values, so
 * that a caller can let other work run during the walk of a large body; iterative, so a deeply
 * nested body cannot exhaust the stack; pointers are made for objects and arrays, and for
 * strings only when they fail.
 */
export function * unstorableStringSteps(value: unknown, limit = 20): Generator<void, UnstorableString[]> {
  const found: UnstorableString[] = []
  const check = (text: string, pointer: string, key: string, prefix = '') => {
    // The fast test inline: this runs for every string of a body.
    if (!SUSPECT.test(text)) return
    const reason = unstorableReason(text)
    if (reason) found.push({ pointer: `${pointer}/${token(key)}`, detail: `${prefix}${reason}` })
  }
  if (typeof value === 'string') {
    const reason = unstorableReason(value)
    return reason ? [{ pointer: '', detail: reason }] : []
  }
  const containers: Array<[object, string]> = value !== null && typeof value === 'object' ? [[value, '']] : []
  let visited = 0
  while (containers.length > 0 && found.length < limit) {
    const [container, pointer] = containers.pop()!
    if (Array.isArray(container)) {
      visited += container.length
      for (let index = 0; index < container.length; index++) {
        const item: unknown = container[index]
        if (typeof item === 'string') check(item, pointer, String(index))
        else if (item !== null && typeof item === 'object') containers.push([item, `${pointer}/${index}`])
      }
    } else {
      const keys = Object.keys(container)
      visited += keys.length
      for (const key of keys) {
        check(key, pointer, key, 'the property name ')
        const item: unknown = (container as Record<string, unknown>)[key]
        if (typeof item === 'string') check(item, pointer, key)
        else if (item !== null && typeof item === 'object') containers.push([item, `${pointer}/${token(key)}`])
      }
    }
    if (visited >= STEP) {
      visited = 0
      yield
    }
  }
  return found.slice(0, limit)
}

/** The same walk without pauses. */
export function findUnstorableStrings(value: unknown, limit = 20): UnstorableString[] {
  const steps = unstorableStringSteps(value, limit)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
  }
}
