/** One entry of a controlled vocabulary: the code the API stores, and the ELM URI an export emits. */
export interface VocabularyEntry<Code extends string = string> {
  code: Code
  label: string
  uri: string
}

export function vocabulary<const Code extends string>(
  base: string,
  entries: ReadonlyArray<readonly [Code, string, string]>,
): ReadonlyArray<VocabularyEntry<Code>> {
  return entries.map(([code, id, label]) => ({ code, label, uri: `${base}${id}` }))
}

export function codesOf<Code extends string>(entries: ReadonlyArray<VocabularyEntry<Code>>): Code[] {
  return entries.map((entry) => entry.code)
}
