import { useState } from 'preact/hooks'
import { api, dataOf, everyPage, PAGE_MAX, type Institution } from './api.js'
import { toCsv } from './csv.js'
import { useI18n } from './i18n.js'
import { offerIdsIn } from './search-state.js'
import { STATUS_COLUMNS, statusRows, type StatusRow } from './status-rows.js'
import { ErrorMessage, Field, Link, pick, useLoad, words } from './ui.js'

/** POST /v1/recognitions/status takes at most this many offers. */
const STATUS_MAX = 500

/**
 * The recognition status of many offers. POST /v1/recognitions/status is public (it gives the
 * ex-ante decisions, which are public), so the page asks for no key.
 */
export function RegistrarPage() {
  const { t, lang } = useI18n()
  const institutions = useLoad('institutions', () => everyPage(async (cursor) => dataOf(await api.GET('/v1/institutions', { params: { query: { limit: PAGE_MAX, cursor } } }))))
  const [text, setText] = useState('')
  const [source, setSource] = useState('')
  const [recognisedBy, setRecognisedBy] = useState('')
  const [at, setAt] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [rows, setRows] = useState<{ rows: StatusRow[]; offers: number }>()
  const ids = offerIdsIn(text)

  const run = async <T,>(work: () => Promise<T>) => {
    setBusy(true)
    setError(undefined)
    try {
      return await work()
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
    } finally {
      setBusy(false)
    }
  }

  const upload = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0]
    if (file) setText(`${text}\n${await file.text()}`.trim())
  }
  const take = () => run(async () => {
    const offers = await everyPage(async (cursor) => dataOf(await api.GET('/v1/offers', { params: { query: { institution: source, limit: PAGE_MAX, cursor } } })), STATUS_MAX)
    setText([...ids, ...offers.map((offer) => offer.id)].join('\n'))
  })
  const check = (event: Event) => {
    event.preventDefault()
    if (ids.length === 0) return setError(t.noIds)
    if (ids.length > STATUS_MAX) return setError(t.tooMany)
    void run(async () => {
      const body = { offers: ids, ...(recognisedBy ? { institution: recognisedBy } : {}), ...(at ? { at: `${at}T00:00:00Z` } : {}) }
      const status = dataOf(await api.POST('/v1/recognitions/status', { body }))
      setRows({ rows: statusRows(status.items), offers: status.items.length })
    })
  }
  const download = () => {
    if (!rows) return
    const csv = toCsv(STATUS_COLUMNS, rows.rows.map((row) => STATUS_COLUMNS.map((column) => row[column])))
    const link = document.createElement('a')
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
    link.download = 'recognition-status.csv'
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
  }
  const options = (list: Institution[]) => list.map((institution) => <option key={institution.schac} value={institution.schac}>{pick(institution.name, lang)?.text ?? institution.schac} ({institution.schac})</option>)
  const registry = institutions.state === 'done' ? institutions.value : []
  const yesNo = (value: boolean | null) => (value === null ? '' : value ? t.yes : t.no)

  return (
    <>
      <h1 tabIndex={-1}>{t.registrarHeading}</h1>
      <p>{t.registrarIntro}</p>
      <form class='registrar' onSubmit={check}>
        <Field label={t.offerIds} id='r-ids' hint={t.idsFound(ids.length)}>
          <textarea id='r-ids' rows={6} value={text} onInput={(event) => setText(event.currentTarget.value)} aria-describedby='r-ids-hint' spellcheck={false} />
        </Field>
        <Field label={t.upload} id='r-file'>
          <input id='r-file' type='file' accept='.txt,.csv,text/plain,text/csv' onChange={upload} />
        </Field>
        <div class='take'>
          <Field label={t.takeOffers} id='r-source'>
            <select id='r-source' value={source} onChange={(event) => setSource(event.currentTarget.value)}>
              <option value=''>{t.any}</option>
              {options(registry)}
            </select>
          </Field>
          <button type='button' class='secondary' disabled={!source || busy} onClick={take}>{t.take}</button>
        </div>
        <Field label={t.recognisedBy} id='r-by'>
          <select id='r-by' value={recognisedBy} onChange={(event) => setRecognisedBy(event.currentTarget.value)}>
            <option value=''>{t.any}</option>
            {options(registry)}
          </select>
        </Field>
        <Field label={t.at} id='r-at'>
          <input id='r-at' type='date' value={at} onInput={(event) => setAt(event.currentTarget.value)} />
        </Field>
        <div class='actions'>
          <button type='submit' disabled={busy}>{t.check}</button>
        </div>
      </form>
      {institutions.state === 'error' && <ErrorMessage message={institutions.message} />}
      {error && <ErrorMessage message={error} />}
      <section class='results'>
        <h2 id='status-heading' class='visually-hidden'>{t.registrarHeading}</h2>
        <p role='status' aria-live='polite' class='summary'>{busy ? t.loading : rows ? t.statusRows(rows.rows.length, rows.offers) : ''}</p>
        {rows && (
          <>
            <button type='button' onClick={download}>{t.download}</button>
            <div class='table-wrap' role='region' aria-labelledby='status-heading' tabIndex={0}>
              <table class='status'>
                <thead>
                  <tr>
                    <th scope='col'>{t.offer}</th><th scope='col'>{t.version}</th><th scope='col'>{t.recognisingInstitution}</th><th scope='col'>{t.outcome}</th>
                    <th scope='col'>{t.credits}</th><th scope='col'>{t.recognisedAs}</th><th scope='col'>{t.since}</th><th scope='col'>{t.covers}</th><th scope='col'>{t.changedSince}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.rows.map((row, index) => (
                    <tr key={index}>
                      <th scope='row'>{row.found ? <Link href={`/offer/${row.offerId}`}>{row.offerId}</Link> : <>{row.offerId} ({t.notFound})</>}{row.offerWithdrawn ? ` · ${t.withdrawn}` : ''}</th>
                      <td>{row.currentVersion ?? ''}</td>
                      <td>{row.recognisingInstitution ?? t.none}</td>
                      <td>{row.outcome ? words(row.outcome) : ''}</td>
                      <td>{row.creditsRecognised ?? ''}</td>
                      <td>{row.recognisedAs}</td>
                      <td>{row.validFrom ?? ''}</td>
                      <td>{yesNo(row.coversCurrentVersion)}</td>
                      <td>{row.offerChangedSince}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  )
}
