-- Ranked search reads a copy of the published offers' search documents, kept by the service's
-- search indexer after each write commits, so that the RUM index (which has no pending list)
-- no longer costs the writing transaction (catalogue/search-indexer.ts; the tables are 0019's).
-- Every write to offers that changes a search document, a status or a column the copy keeps for
-- filters queues the offer, whatever code path wrote it; a queued offer's row is updated (not
-- left alone) when it is queued again, so that the indexer, which claims with SKIP LOCKED, never
-- takes it while the write is uncommitted. A deleted offer is queued too (the copy has no foreign
-- key, see schema.ts), and the indexer removes its copy.
CREATE FUNCTION "offer_search_queue_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "offer_search_pending" ("offer_id")
  SELECT "id" FROM "inserted_offers" WHERE "status" = 'published'
  ON CONFLICT ("offer_id") DO UPDATE SET "queued_at" = excluded."queued_at";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "offer_search_queue_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "offer_search_pending" ("offer_id")
  SELECT n."id" FROM "updated_offers" n JOIN "previous_offers" o ON o."id" = n."id"
  WHERE (n."search", n."status", n."institution_schac", n."alliances", n."issuer_countries", n."eqf_level", n."ects", n."isced_paths", n."languages", n."participation", n."qa_type", n."stackable", n."start_date")
    IS DISTINCT FROM (o."search", o."status", o."institution_schac", o."alliances", o."issuer_countries", o."eqf_level", o."ects", o."isced_paths", o."languages", o."participation", o."qa_type", o."stackable", o."start_date")
  ON CONFLICT ("offer_id") DO UPDATE SET "queued_at" = excluded."queued_at";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "offer_search_queue_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "offer_search_pending" ("offer_id")
  SELECT "id" FROM "deleted_offers"
  ON CONFLICT ("offer_id") DO UPDATE SET "queued_at" = excluded."queued_at";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "offers_search_queue_deleted" AFTER DELETE ON "offers"
  REFERENCING OLD TABLE AS "deleted_offers" FOR EACH STATEMENT EXECUTE FUNCTION "offer_search_queue_deleted"();
--> statement-breakpoint
CREATE TRIGGER "offers_search_queue_inserted" AFTER INSERT ON "offers"
  REFERENCING NEW TABLE AS "inserted_offers" FOR EACH STATEMENT EXECUTE FUNCTION "offer_search_queue_inserted"();
--> statement-breakpoint
CREATE TRIGGER "offers_search_queue_updated" AFTER UPDATE ON "offers"
  REFERENCING OLD TABLE AS "previous_offers" NEW TABLE AS "updated_offers" FOR EACH STATEMENT EXECUTE FUNCTION "offer_search_queue_updated"();
--> statement-breakpoint
INSERT INTO "offer_search_ranking" ("offer_id", "search", "institution_schac", "alliances", "issuer_countries", "eqf_level", "ects", "isced_paths", "languages", "participation", "qa_type", "stackable", "start_date")
  SELECT "id", "search", "institution_schac", "alliances", "issuer_countries", "eqf_level", "ects", "isced_paths", "languages", "participation", "qa_type", "stackable", "start_date" FROM "offers" WHERE "status" = 'published';
--> statement-breakpoint
-- The RUM index moves to the copy (where the extension exists; see 0018). A service started
-- before this migration reads which ranking to use when it starts again.
DROP INDEX IF EXISTS "offers_search_rum_idx";
--> statement-breakpoint
DO $$
DECLARE
  rum_schema text;
BEGIN
  SELECT n.nspname INTO rum_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'rum';
  IF rum_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS "offer_search_ranking_rum_idx" ON "offer_search_ranking" USING rum ("search" %I.rum_tsvector_ops)', rum_schema);
  END IF;
END
$$;
