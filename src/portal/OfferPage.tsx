import type { ComponentChildren } from 'preact'
import { api, dataOf, PAGE_MAX, type LanguageMap, type Offer, type OfferRecognition, type OfferVersion } from './api.js'
import { useI18n } from './i18n.js'
import { ErrorMessage, Link, Text, formatDate, languageName, navigate, useLoad, words } from './ui.js'

interface OfferData {
  offer: Offer
  versions: OfferVersion[]
  recognition: OfferRecognition
}

async function loadOffer(id: string): Promise<OfferData> {
  const path = { id }
  const [offer, versions, recognition] = await Promise.all([
    api.GET('/v1/offers/{id}', { params: { path } }).then(dataOf),
    api.GET('/v1/offers/{id}/versions', { params: { path, query: { limit: PAGE_MAX } } }).then(dataOf),
    api.GET('/v1/offers/{id}/recognition', { params: { path } }).then(dataOf),
  ])
  return { offer, versions: versions.items, recognition }
}

/** The languages the offer's texts are written in, the most complete first. */
export function offerLanguages(offer: Offer): string[] {
  const maps: Array<LanguageMap | undefined> = [offer.title, offer.description, offer.prerequisites, offer.gradingScheme, offer.furtherInformation, offer.qualityAssurance?.description, ...(offer.learningOutcomes ?? []).map((outcome) => outcome.text)]
  const counts = new Map<string, number>()
  for (const map of maps) for (const lang of Object.keys(map ?? {})) counts.set(lang, (counts.get(lang) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([lang]) => lang)
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

export function OfferPage({ id, query }: { id: string; query: string }) {
  const { t, lang } = useI18n()
  const loaded = useLoad(id, () => loadOffer(id))
  // The same first elements while loading, so that the heading keeps the focus it was given.
  const back = <p class='back' lang={lang}><Link href='/'>{t.back}</Link></p>
  if (loaded.state === 'loading') return <article class='offer'>{back}<h1 tabIndex={-1}>{t.offerHeading}</h1><p role='status'>{t.loading}</p></article>
  if (loaded.state === 'error') return <article class='offer'>{back}<h1 tabIndex={-1}>{t.offerHeading}</h1><ErrorMessage message={loaded.message} /></article>
  const { offer, versions, recognition } = loaded.value
  const languages = offerLanguages(offer)
  const asked = new URLSearchParams(query).get('lang')
  const content = asked && languages.includes(asked) ? asked : languages.includes(lang) ? lang : (languages[0] ?? 'en')
  const switchTo = (event: Event) => navigate(`/offer/${offer.id}?lang=${encodeURIComponent((event.currentTarget as HTMLSelectElement).value)}`)
  const none = <span class='muted'>{t.notStated}</span>
  const list = (items: string[] | undefined) => (items && items.length > 0 ? items.join(', ') : none)

  return (
    <article class='offer' lang={content}>
      {back}
      <h1 tabIndex={-1}><Text map={offer.title} lang={content} /></h1>
      <p class='provider' lang={lang}>{offer.institution} · {offer.externalId}</p>
      {offer.status === 'withdrawn' && <p class='warning' lang={lang}>{t.withdrawn}</p>}
      {languages.length > 1 && (
        <div class='content-language' lang={lang}>
          <label for='content-language'>{t.contentLanguage}</label>
          <select id='content-language' value={content} onChange={switchTo}>
            {languages.map((code) => <option key={code} value={code} lang={code}>{languageName(code, code)}</option>)}
          </select>
        </div>
      )}
      {offer.description && <p class='description'><Text map={offer.description} lang={content} /></p>}

      <section aria-labelledby='annex-heading'>
        <h2 id='annex-heading' lang={lang}>{t.annex}</h2>
        <dl class='elements'>
          <Row label={t.provider}>{offer.institution}</Row>
          <Row label={t.issuerCountries}>{list(offer.issuerCountries)}</Row>
          {offer.issuerRegions && <Row label={t.issuerRegions}>{list(offer.issuerRegions)}</Row>}
          <Row label={t.awardingBodies}>
            <ul>
              {offer.awardingBodies.map((body, index) => <li key={index}>{'schac' in body ? body.schac : <Text map={body.name} lang={content} />} ({words(body.status)})</li>)}
            </ul>
          </Row>
          <Row label={t.learningOutcomes}>
            {offer.learningOutcomes?.length ? <ul>{offer.learningOutcomes.map((outcome, index) => <li key={index}><Text map={outcome.text} lang={content} /></li>)}</ul> : none}
          </Row>
          <Row label={t.workload}>
            {offer.ects !== undefined ? `${offer.ects} ${t.ects}` : ''}{offer.ects !== undefined && offer.workloadHours !== undefined ? ' · ' : ''}{offer.workloadHours !== undefined ? `${offer.workloadHours} ${t.hours}` : ''}
            {offer.ects === undefined && offer.workloadHours === undefined && none}
          </Row>
          <Row label={t.level}>{offer.eqfLevel === undefined ? none : typeof offer.eqfLevel === 'number' ? `${t.eqf} ${offer.eqfLevel}` : words(offer.eqfLevel)}</Row>
          {offer.qfEheaCycle && <Row label={t.qfEhea}>{words(offer.qfEheaCycle)}</Row>}
          {offer.nqfLevels && <Row label={t.nqf}>{list(offer.nqfLevels)}</Row>}
          <Row label={t.assessments}>
            {offer.assessments?.length ? <ul>{offer.assessments.map((assessment, index) => <li key={index}>{words(assessment.type)}{assessment.mode ? ` (${words(assessment.mode)})` : ''}{assessment.description && <>: <Text map={assessment.description} lang={content} /></>}</li>)}</ul> : none}
          </Row>
          <Row label={t.participationForm}>{list(offer.participation?.map(words))}</Row>
          <Row label={t.qualityAssurance}>
            {offer.qualityAssurance
              ? <>{words(offer.qualityAssurance.type)}{offer.qualityAssurance.agency ? ` · ${offer.qualityAssurance.agency.name}` : ''}{offer.qualityAssurance.description && <>: <Text map={offer.qualityAssurance.description} lang={content} /></>}</>
              : none}
          </Row>
          <Row label={t.prerequisites}>{offer.prerequisites ? <Text map={offer.prerequisites} lang={content} /> : none}</Row>
          <Row label={t.supervision}>{offer.supervision ? words(offer.supervision) : none}</Row>
          <Row label={t.grading}>{offer.gradingScheme ? <Text map={offer.gradingScheme} lang={content} /> : none}</Row>
          <Row label={t.stackability}>
            {offer.stackability
              ? <>{words(offer.stackability.mode)}{offer.stackability.towards?.map((target, index) => <span key={index}> · {target.offerId ? <Link href={`/offer/${target.offerId}`}>{target.title ? <Text map={target.title} lang={content} /> : target.offerId}</Link> : target.title ? <Text map={target.title} lang={content} /> : target.url}</span>)}</>
              : none}
          </Row>
          <Row label={t.furtherInformation}>{offer.furtherInformation ? <Text map={offer.furtherInformation} lang={content} /> : none}</Row>
          <Row label={t.languages}>{list(offer.languages?.map((code) => languageName(code, lang)))}</Row>
          <Row label={t.fields}>{list(offer.iscedFields)}</Row>
          {offer.learningOpportunityType && <Row label={t.type}>{words(offer.learningOpportunityType)}</Row>}
          {offer.learningSetting && <Row label={t.setting}>{words(offer.learningSetting)}</Row>}
          <Row label={t.dates}>
            {[offer.startDate && `${t.starts} ${formatDate(offer.startDate, lang)}`, offer.endDate && `${t.ends} ${formatDate(offer.endDate, lang)}`, offer.applicationDeadline && `${t.applyBy} ${formatDate(offer.applicationDeadline, lang)}`].filter(Boolean).join(' · ') || none}
          </Row>
          {offer.homepage && <Row label={t.homepage}><a href={offer.homepage} rel='noopener noreferrer'>{offer.homepage}</a></Row>}
        </dl>
      </section>

      <section lang={lang}>
        <h2 id='recognition-heading'>{t.recognition}</h2>
        {recognition.recognitions.length === 0
          ? <p>{t.noRecognition}</p>
          : (
            <div class='table-wrap' role='region' aria-labelledby='recognition-heading' tabIndex={0}>
              <table>
                <thead>
                  <tr><th scope='col'>{t.recognisingInstitution}</th><th scope='col'>{t.outcome}</th><th scope='col'>{t.credits}</th><th scope='col'>{t.recognisedAs}</th><th scope='col'>{t.since}</th><th scope='col'>{t.changedSince}</th></tr>
                </thead>
                <tbody>
                  {recognition.recognitions.map((entry) => (
                    <tr key={entry.decisionId}>
                      <th scope='row'>{entry.recognisingInstitution}</th>
                      <td>{words(entry.outcome)}</td>
                      <td>{entry.creditsRecognised}</td>
                      <td>{entry.recognisedAs.map((component) => `${component.code} ${component.title} (${component.credits})`).join('; ')}</td>
                      <td>{formatDate(entry.validFrom, lang)}{entry.validUntil ? ` – ${formatDate(entry.validUntil, lang)}` : ''}</td>
                      <td>{entry.offerChangedSince.length === 0 ? t.unchanged : entry.offerChangedSince.map((change) => `${change.element}${change.material ? ` (${t.material})` : ''}`).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            )}
      </section>

      <section aria-labelledby='versions-heading' lang={lang}>
        <h2 id='versions-heading'>{t.versions}</h2>
        <ol class='versions' reversed>
          {[...versions].reverse().map((version) => (
            <li key={version.version}>
              {t.version} {version.version}{version.version === offer.version ? ` (${t.current})` : ''} · {t.created} {formatDate(version.createdAt, lang)}{version.publishedAt ? ` · ${t.published} ${formatDate(version.publishedAt, lang)}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}
