-- Ranked full-text search inside the index, where the database has the RUM extension: the
-- index computes and sorts every match's `search <=> query` from the positions it stores,
-- without reading the table for each match as ts_rank_cd does. CREATE EXTENSION rum needs a
-- superuser, so this migration never creates the extension: where an operator has added it,
-- the index is created; elsewhere (PGlite, a server without the extension) nothing happens and
-- searches rank with ts_rank_cd over the GIN index's matches. An operator who adds the
-- extension later creates the same index by hand (README, "Full-text search at scale"); the
-- service picks it up at its next start. Where the extension exists, this builds the index in
-- the migration's transaction, holding writes to offers meanwhile (about 45 s for a million
-- offers). The operator class is named in the extension's own schema, which need not be on the
-- search path.
DO $$
DECLARE
  rum_schema text;
BEGIN
  SELECT n.nspname INTO rum_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'rum';
  IF rum_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS "offers_search_rum_idx" ON "offers" USING rum ("search" %I.rum_tsvector_ops) WHERE "status" = ''published''', rum_schema);
  END IF;
END
$$;
