import { useEffect, useState } from 'preact/hooks'
import { api, dataOf, everyPage, PAGE_MAX, type Alliance, type Institution, type Offer } from './api.js'
import { useI18n } from './i18n.js'
import { apiQuery, queryFromState, stateFromQuery, type Filter, type SearchState } from './search-state.js'
import { ErrorMessage, Field, Link, Text, languageName, navigate, pick, useLoad, words } from './ui.js'

const PAGE_SIZE = 20
const EQF_LEVELS = ['1', '2', '3', '4', '5', '6', '7', '8']
const PARTICIPATION = ['online', 'onsite', 'blended', 'work_based', 'project_based', 'research_lab'] as const
/** The EU's official languages (ISO 639-1). */
const EU_LANGUAGES = ['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'it', 'lt', 'lv', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv']
/** ISCED-F 2013 broad fields; the API matches the narrower fields under each. */
const ISCED_BROAD_FIELDS: Array<[string, string]> = [
  ['00', 'Generic programmes and qualifications'],
  ['01', 'Education'],
  ['02', 'Arts and humanities'],
  ['03', 'Social sciences, journalism and information'],
  ['04', 'Business, administration and law'],
  ['05', 'Natural sciences, mathematics and statistics'],
  ['06', 'Information and communication technologies'],
  ['07', 'Engineering, manufacturing and construction'],
  ['08', 'Agriculture, forestry, fisheries and veterinary'],
  ['09', 'Health and welfare'],
  ['10', 'Services'],
]

interface Registry {
  institutions: Institution[]
  alliances: Alliance[]
}

async function loadRegistry(): Promise<Registry> {
  const [institutions, alliances] = await Promise.all([
    everyPage(async (cursor) => dataOf(await api.GET('/v1/institutions', { params: { query: { limit: PAGE_MAX, cursor } } }))),
    everyPage(async (cursor) => dataOf(await api.GET('/v1/alliances', { params: { query: { limit: PAGE_MAX, cursor } } }))),
  ])
  return { institutions, alliances }
}

async function search(state: SearchState) {
  return dataOf(await api.GET('/v1/offers', { params: { query: apiQuery(state, PAGE_SIZE) } }))
}

export function SearchPage({ query }: { query: string }) {
  const { t, lang } = useI18n()
  const state = stateFromQuery(query)
  const [draft, setDraft] = useState<SearchState>(state)
  useEffect(() => setDraft(stateFromQuery(query)), [query])
  const registry = useLoad('registry', loadRegistry)
  const results = useLoad(queryFromState(state), () => search(state))

  const set = (filter: Filter) => (event: Event) => setDraft({ ...draft, [filter]: (event.currentTarget as HTMLInputElement).value })
  const submit = (event: Event) => {
    event.preventDefault()
    const { cursor: _, ...filters } = draft
    navigate(`/${queryFromState(filters)}`)
  }
  const select = (filter: Filter, label: string, options: Array<[string, string]>) => (
    <Field label={label} id={`f-${filter}`}>
      <select id={`f-${filter}`} name={filter} value={draft[filter] ?? ''} onChange={set(filter)}>
        <option value=''>{t.any}</option>
        {options.map(([value, name]) => <option key={value} value={value}>{name}</option>)}
      </select>
    </Field>
  )
  const check = (filter: Filter, label: string) => (
    <div class='check'>
      <input
        id={`f-${filter}`}
        name={filter}
        type='checkbox'
        checked={draft[filter] === 'true'}
        onChange={(event) => setDraft({ ...draft, [filter]: (event.currentTarget as HTMLInputElement).checked ? 'true' : undefined })}
      />
      <label for={`f-${filter}`}>{label}</label>
    </div>
  )
  const institutions = registry.state === 'done' ? registry.value.institutions : []
  const alliances = registry.state === 'done' ? registry.value.alliances : []

  return (
    <>
      <h1 tabIndex={-1}>{t.searchHeading}</h1>
      <form role='search' class='search' onSubmit={submit}>
        <Field label={t.searchText} id='f-q' hint={t.searchHint}>
          <input id='f-q' name='q' type='search' value={draft.q ?? ''} onInput={set('q')} maxLength={100} aria-describedby='f-q-hint' />
        </Field>
        <fieldset class='filters'>
          <legend>{t.filters}</legend>
          {select('eqfLevel', t.level, EQF_LEVELS.map((level) => [level, level]))}
          <Field label={t.ectsMin} id='f-ectsMin'>
            <input id='f-ectsMin' name='ectsMin' type='number' min={0} max={60} step='any' inputMode='decimal' value={draft.ectsMin ?? ''} onInput={set('ectsMin')} />
          </Field>
          <Field label={t.ectsMax} id='f-ectsMax'>
            <input id='f-ectsMax' name='ectsMax' type='number' min={0} max={60} step='any' inputMode='decimal' value={draft.ectsMax ?? ''} onInput={set('ectsMax')} />
          </Field>
          {select('iscedField', t.field, ISCED_BROAD_FIELDS.map(([code, name]) => [code, `${code} ${name}`]))}
          {select('language', t.language, EU_LANGUAGES.map((code) => [code, languageName(code, lang)]))}
          {select('participation', t.participation, PARTICIPATION.map((mode) => [mode, words(mode)]))}
          {select('institution', t.institution, institutions.map((institution) => [institution.schac, pick(institution.name, lang)?.text ?? institution.schac]))}
          {select('alliance', t.alliance, alliances.map((alliance) => [alliance.slug, alliance.name]))}
        </fieldset>
        <fieldset class='filters'>
          <legend>{t.runs}</legend>
          {check('openNow', t.openNow)}
          {check('hasPlaces', t.hasPlaces)}
          <Field label={t.startsFrom} id='f-startsFrom'>
            <input id='f-startsFrom' name='startsFrom' type='date' value={draft.startsFrom ?? ''} onInput={set('startsFrom')} />
          </Field>
          <Field label={t.startsUntil} id='f-startsUntil'>
            <input id='f-startsUntil' name='startsUntil' type='date' value={draft.startsUntil ?? ''} onInput={set('startsUntil')} />
          </Field>
          {select('mode', t.runMode, PARTICIPATION.map((mode) => [mode, words(mode)]))}
          {select('openTo', t.openTo, institutions.map((institution) => [institution.schac, pick(institution.name, lang)?.text ?? institution.schac]))}
        </fieldset>
        <div class='actions'>
          <button type='submit'>{t.apply}</button>
          <Link href='/' class='button secondary'>{t.clear}</Link>
        </div>
      </form>
      {registry.state === 'error' && <ErrorMessage message={registry.message} />}
      <section aria-labelledby='results-heading' class='results'>
        <h2 id='results-heading' class='visually-hidden'>{t.navSearch}</h2>
        <p role='status' aria-live='polite' class='summary'>
          {results.state === 'loading' ? t.loading : results.state === 'done' ? t.results(results.value.items.length, results.value.nextCursor !== null) : ''}
        </p>
        {results.state === 'error' && <ErrorMessage message={results.message} />}
        {results.state === 'done' && (
          <>
            <ul class='offers'>
              {results.value.items.map((offer) => <OfferCard key={offer.id} offer={offer} />)}
            </ul>
            <nav class='pager' aria-label={t.navSearch}>
              {state.cursor && <Link href={`/${queryFromState({ ...state, cursor: undefined })}`}>{t.firstPage}</Link>}
              {results.value.nextCursor && <Link href={`/${queryFromState({ ...state, cursor: results.value.nextCursor })}`} rel='next'>{t.nextPage}</Link>}
            </nav>
          </>
        )}
      </section>
    </>
  )
}

function OfferCard({ offer }: { offer: Offer }) {
  const { t, lang } = useI18n()
  const facts = [
    offer.ects !== undefined ? `${offer.ects} ${t.ects}` : undefined,
    typeof offer.eqfLevel === 'number' ? `${t.eqf} ${offer.eqfLevel}` : undefined,
    offer.languages?.map((code) => languageName(code, lang)).join(', '),
    offer.participation?.map(words).join(', '),
  ].filter(Boolean)
  return (
    <li class='offer-card'>
      <h3><Link href={`/offer/${offer.id}`}><Text map={offer.title} lang={lang} /></Link></h3>
      <p class='provider'>{offer.institution}{offer.alliances.length > 0 ? ` · ${offer.alliances.join(', ')}` : ''}</p>
      <p class='facts'>{facts.join(' · ')}</p>
    </li>
  )
}
