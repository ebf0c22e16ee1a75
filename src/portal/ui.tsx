// Small pieces every page uses: links that stay in the page, text in a language, loading states.
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { LanguageMap } from './api.js'
import { useI18n } from './i18n.js'

/** Moves to another page of the portal without reloading it (App listens to popstate). */
export function navigate(href: string) {
  history.pushState(null, '', href)
  dispatchEvent(new PopStateEvent('popstate'))
}

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(props.href)
  }
  return <a {...props} onClick={onClick} />
}

/** The text of `map` in `lang`, else English, else its first language, with the language it is in. */
export function pick(map: LanguageMap | undefined, lang: string): { text: string; lang: string } | undefined {
  if (map === undefined) return undefined
  for (const candidate of [lang, 'en']) {
    const text = map[candidate]
    if (text !== undefined) return { text, lang: candidate }
  }
  const first = Object.entries(map)[0]
  return first && { text: first[1], lang: first[0] }
}

/** A language map's text, marked with the language it is in (screen readers switch voices). */
export function Text({ map, lang }: { map: LanguageMap | undefined; lang: string }) {
  const { t } = useI18n()
  const picked = pick(map, lang)
  if (picked === undefined) return <span class='muted'>{t.notStated}</span>
  return <span lang={picked.lang}>{picked.text}</span>
}

/** A code (snake_case enum) as words. */
export const words = (code: string) => code.replaceAll('_', ' ')

export function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? code
  } catch {
    return code
  }
}

export function formatDate(value: string | null | undefined, lang: string): string {
  if (!value) return ''
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(date)
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; value: T }

/** Runs `load` whenever `key` changes; the latest answer wins. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' })
  useEffect(() => {
    let current = true
    setLoaded({ state: 'loading' })
    load().then(
      (value) => current && setLoaded({ state: 'done', value }),
      (error: unknown) => current && setLoaded({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
    return () => {
      current = false
    }
  }, [key])
  return loaded
}

export function ErrorMessage({ message }: { message: string }) {
  const { t } = useI18n()
  return <p class='error' role='alert'>{t.error}: {message}</p>
}

export function Field({ label, id, hint, children }: { label: string; id: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class='field'>
      <label for={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  )
}
