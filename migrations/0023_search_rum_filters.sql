-- The RUM index also holds the copy's institution, alliances and issuer countries, so that a
-- search by relevance filtered on one of them (an alliance's portal, a country's) is narrowed
-- inside the index: the index sorts only the matches that pass, instead of every match of the
-- words being read in order and dropped one by one on the copy's row until a page is full
-- (README, "Full-text search at scale"). The other filters (level, languages, ECTS …) have few
-- values, each shared by a large part of the catalogue: inside the index they would cost more
-- than they save, so they still drop matches on the copy's row.
-- Where the index exists (the extension is there and no operator dropped it) without these
-- columns, it is built again under the same name, in the migration's transaction: meanwhile
-- (about 40 s for a million offers on the benchmark's machine) the copy is locked, so searches
-- by relevance fail with SEARCH_TIMEOUT and the search indexer waits; offers' writes do not.
-- An operator can build it beforehand without a lock (README, "Full-text search at scale"):
-- an index that already has these columns is kept. The operator classes are named in the
-- extension's own schema, which need not be on the search path.
DO $$
DECLARE
  rum_schema text;
  indexed text;
BEGIN
  SELECT n.nspname INTO rum_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'rum';
  SELECT string_agg(a.attname, ',' ORDER BY k.n) || CASE WHEN bool_and(i.indisvalid) THEN '' ELSE ' (invalid)' END INTO indexed
  FROM pg_index i
  CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
  WHERE i.indexrelid = to_regclass('offer_search_ranking_rum_idx');
  IF rum_schema IS NOT NULL AND indexed IS NOT NULL AND indexed <> 'search,institution_schac,alliances,issuer_countries' THEN
    DROP INDEX "offer_search_ranking_rum_idx";
    EXECUTE format(
      'CREATE INDEX "offer_search_ranking_rum_idx" ON "offer_search_ranking" USING rum ("search" %1$I.rum_tsvector_ops, "institution_schac" %1$I.rum_text_ops, "alliances" %1$I.rum_anyarray_ops, "issuer_countries" %1$I.rum_anyarray_ops)',
      rum_schema
    );
  END IF;
END
$$;
