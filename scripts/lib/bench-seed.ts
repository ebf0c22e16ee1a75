import pg from 'pg'

/**
 * Seeds a benchmark data set with set-based SQL (no request per row): 500 institutions in 60
 * alliances, `offers` published offers with text in English and French, one version each, two
 * ex-ante recognition decisions per offer and a change-feed entry per offer. The derived
 * columns are filled the way the service fills them (folded text, ISCED ancestors …).
 */
const TOPICS = [
  ['data literacy', 'litteratie des donnees', '0542'],
  ['sustainable energy systems', 'systemes energetiques durables', '0713'],
  ['public health policy', 'politiques de sante publique', '0923'],
  ['machine learning', 'apprentissage automatique', '0613'],
  ['european law', 'droit europeen', '0421'],
  ['cultural heritage', 'patrimoine culturel', '0222'],
  ['entrepreneurship', 'entrepreneuriat', '0413'],
  ['climate science', 'science du climat', '0532'],
  ['urban planning', 'urbanisme', '0731'],
  ['food processing', 'transformation alimentaire', '0721'],
  ['nursing practice', 'pratique infirmiere', '0913'],
  ['software engineering', 'genie logiciel', '0613'],
]

export const BENCH_DOMAIN = 'bench.example'

export async function benchOfferCount(client: pg.Client): Promise<number> {
  const result = await client.query(`select count(*)::int as n from offers where institution_schac like '%.${BENCH_DOMAIN}'`)
  return result.rows[0].n as number
}

export async function seedBench(client: pg.Client, offers: number, log: (line: string) => void): Promise<void> {
  const topics = JSON.stringify(TOPICS)
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now()
    await client.query(sql, params)
    log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  await step(
    'institutions',
    `insert into institutions (schac, name, country)
     select 'inst' || i || '.${BENCH_DOMAIN}', jsonb_build_object('en', 'University ' || i),
            (array['IT','BE','DE','FR','ES','NL','FI','SE','PL','PT'])[1 + i % 10]
     from generate_series(1, 500) i`,
  )
  await step('alliances', `insert into alliances (slug, name) select 'bench-alliance-' || a, 'Alliance ' || a from generate_series(1, 60) a`)
  await step(
    'alliance members',
    `insert into alliance_members (alliance_slug, institution_schac)
     select distinct 'bench-alliance-' || (1 + m.a), 'inst' || i || '.${BENCH_DOMAIN}'
     from generate_series(1, 500) i, lateral (values (i % 60), ((i * 7) % 60)) as m(a)`,
  )
  await step(
    `${offers} offers`,
    `with topics as (select value as t, ordinality - 1 as k from jsonb_array_elements($2::jsonb) with ordinality),
     src as (
       select n,
              1 + n % 500 as inst,
              (select t from topics where k = abs(hashtext(n || 'topic')) % jsonb_array_length($2::jsonb)) as topic,
              -- Attributes vary independently of each other, as in a real catalogue.
              (array[1,2,3,4,5,6,7.5,10])[1 + abs(hashtext(n || 'ects')) % 8] as ects,
              5 + abs(hashtext(n || 'eqf')) % 4 as eqf,
              (array['{en}','{en,fr}','{fr}','{de,en}','{it}','{es,en}'])[1 + abs(hashtext(n || 'languages')) % 6]::text[] as languages,
              (array['online','onsite','blended','work_based','project_based','research_lab'])[1 + abs(hashtext(n || 'participation')) % 6] as participation,
              make_date(2027, 1 + abs(hashtext(n || 'start')) % 12, 1) as start_date
       from generate_series(1, $1::int) n
     )
     insert into offers (institution_schac, external_id, status, version, revision, content, content_hash, compliance,
                         published_at, ects, eqf_level, languages, isced_paths, participation, qa_type, stackable,
                         start_date, issuer_countries, alliances, sort_title, search)
     select 'inst' || inst || '.${BENCH_DOMAIN}', 'OFFER-' || n, 'published', 1, 1,
            jsonb_build_object(
              'title', jsonb_build_object('en', initcap(topic->>0) || ' ' || n, 'fr', initcap(topic->>1) || ' ' || n),
              'description', jsonb_build_object('en', 'A micro-credential on ' || (topic->>0) || ' for learners across Europe.'),
              'learningOutcomes', jsonb_build_array(jsonb_build_object('text', jsonb_build_object('en', 'Apply the core methods of ' || (topic->>0), 'fr', 'Appliquer les methodes de base : ' || (topic->>1)))),
              'ects', ects, 'workloadHours', round(ects * 27), 'eqfLevel', eqf,
              'assessments', jsonb_build_array(jsonb_build_object('type', 'project')),
              'participation', jsonb_build_array(participation),
              'qualityAssurance', jsonb_build_object('type', 'internal'),
              'iscedFields', jsonb_build_array(topic->>2), 'languages', to_jsonb(languages),
              'issuerCountries', jsonb_build_array(i.country),
              'awardingBodies', jsonb_build_array(jsonb_build_object('schac', i.schac)),
              'alliances', jsonb_build_array('bench-alliance-' || (1 + inst % 60)),
              'learningOpportunityType', 'short_learning_programme', 'startDate', start_date::text),
            md5(n::text), '{"complete": true, "missing": []}'::jsonb,
            now(), ects, eqf, languages,
            array[left(topic->>2, 2), left(topic->>2, 3), topic->>2], array[participation], 'internal', n % 5 = 0,
            start_date, array[i.country], array['bench-alliance-' || (1 + inst % 60)],
            (topic->>0) || ' ' || n,
            setweight(to_tsvector('simple', (topic->>0) || ' ' || n || ' ' || (topic->>1) || ' ' || n), 'A') ||
            setweight(to_tsvector('simple', 'a micro-credential on ' || (topic->>0) || ' apply the core methods of ' || (topic->>0) || ' appliquer les methodes de base ' || (topic->>1)), 'B')
     from src join institutions i on i.schac = 'inst' || inst || '.${BENCH_DOMAIN}'`,
    [offers, topics],
  )
  await step(
    'offer versions',
    `insert into offer_versions (offer_id, version, content, content_hash, compliance, published_at)
     select id, 1, content, content_hash, compliance, published_at from offers where institution_schac like '%.${BENCH_DOMAIN}'`,
  )
  await step(
    'recognition decisions (2 per offer)',
    `insert into recognition_decisions (recognising_institution, offering_institution, offer_id, offer_version, scope, purpose,
                                        outcome, credits_recognised, details, valid_from, decided_at)
     select 'inst' || (1 + (o.inst_no + d * 37) % 500) || '.${BENCH_DOMAIN}', o.institution_schac, o.id, 1, 'ex_ante', 'credit_transfer',
            'full', o.ects, jsonb_build_object('recognisedAs', '[]'::jsonb, 'substantialDifferences', '[]'::jsonb, 'conditions', '[]'::jsonb),
            current_date, now()
     from (select id, institution_schac, ects, split_part(split_part(institution_schac, '.', 1), 'inst', 2)::int as inst_no
           from offers where institution_schac like '%.${BENCH_DOMAIN}') o, generate_series(1, 2) d`,
  )
  await step(
    'change feed',
    `insert into changes (type, entity_id, action, version, institution)
     select 'offer', id::text, 'published', 1, institution_schac from offers
     where institution_schac like '%.${BENCH_DOMAIN}' order by created_at, id`,
  )
  await step('analyze', 'analyze')
}
