import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { I18n, INTERFACE_LANGUAGES, MESSAGES, isInterfaceLanguage, type InterfaceLanguage } from './i18n.js'
import { OfferPage } from './OfferPage.js'
import { RegistrarPage } from './RegistrarPage.js'
import { SearchPage } from './SearchPage.js'
import { Link } from './ui.js'

const LANGUAGE_KEY = 'passerelle.interfaceLanguage'

function initialLanguage(): InterfaceLanguage {
  const stored = localStorage.getItem(LANGUAGE_KEY)
  if (isInterfaceLanguage(stored)) return stored
  for (const tag of navigator.languages) {
    const primary = tag.split('-')[0]
    if (isInterfaceLanguage(primary)) return primary
  }
  return 'en'
}

interface Location {
  path: string
  query: string
}

const here = (): Location => ({ path: location.pathname, query: location.search })

export function App() {
  const [lang, setLang] = useState<InterfaceLanguage>(initialLanguage)
  const [where, setWhere] = useState<Location>(here)
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)

  useEffect(() => {
    const onPop = () => setWhere(here())
    addEventListener('popstate', onPop)
    return () => removeEventListener('popstate', onPop)
  }, [])

  useEffect(() => {
    document.documentElement.lang = lang
    localStorage.setItem(LANGUAGE_KEY, lang)
  }, [lang])

  // After a move to another page, focus goes to its heading, as after a page load.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [where.path])

  const i18n = useMemo(() => ({ lang, t: MESSAGES[lang] }), [lang])
  const { t } = i18n
  const offer = /^\/offer\/([^/]+)$/.exec(where.path)
  const page = offer
    ? <OfferPage id={decodeURIComponent(offer[1]!)} query={where.query} />
    : where.path === '/registrar'
      ? <RegistrarPage />
      : <SearchPage query={where.query} />

  return (
    <I18n.Provider value={i18n}>
      <a class='skip' href='#main'>{t.skip}</a>
      <header class='top'>
        <Link href='/' class='brand'>{t.portalName}</Link>
        <nav aria-label={t.portalName}>
          <ul>
            <li><Link href='/' aria-current={where.path === '/' ? 'page' : undefined}>{t.navSearch}</Link></li>
            <li><Link href='/registrar' aria-current={where.path === '/registrar' ? 'page' : undefined}>{t.navRegistrar}</Link></li>
          </ul>
        </nav>
        <div class='interface-language'>
          <label for='interface-language'>{t.interfaceLanguage}</label>
          <select id='interface-language' value={lang} onChange={(event) => setLang(event.currentTarget.value as InterfaceLanguage)}>
            {Object.entries(INTERFACE_LANGUAGES).map(([code, name]) => <option key={code} value={code} lang={code}>{name}</option>)}
          </select>
        </div>
      </header>
      <main id='main' ref={main} tabIndex={-1}>{page}</main>
      <footer class='bottom'>
        <p>Passerelle · <a href='/docs'>API</a> · <a href='/openapi.json'>OpenAPI</a></p>
      </footer>
    </I18n.Provider>
  )
}
