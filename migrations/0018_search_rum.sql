-- Ranked full-text search inside the index, where the database has the RUM extension: the
-- index orders published offers by `search <=> query` itself, so a search reads its best 20
-- matches instead of ranking every match. CREATE EXTENSION rum needs a superuser, so this
-- migration never creates the extension: where an operator has added it, the index is created;
-- elsewhere (PGlite, a server without the extension) nothing happens and searches rank with
-- ts_rank_cd over the GIN index's matches. An operator who adds the extension later creates
-- the same index by hand (README, "Full-text search with RUM"); the service picks it up at start.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
    CREATE INDEX IF NOT EXISTS "offers_search_rum_idx" ON "offers" USING rum ("search" rum_tsvector_ops) WHERE "status" = 'published';
  END IF;
END
$$;
