-- The search indexer's queue, corrected (see 0020 for the design):
-- * an offer queued again while it waits keeps the time it was first queued (the row is still
--   updated, which is what keeps the indexer's SKIP LOCKED off it until the write commits), so
--   the queue's age tells how far behind ranked search is, and an offer written again and again
--   does not move to the back of the queue;
-- * an update queues an offer only if it is published, or was: no other offer has a copy.
-- Before this release, one round of the indexer could take an offer off the queue without
-- copying the write that queued it (its one statement read the offers in a snapshot taken
-- before it locked the queue); the last statement queues every offer whose copy is missing,
-- differs or should not be there, so that the indexer repairs them.
CREATE OR REPLACE FUNCTION "offer_search_queue_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "offer_search_pending" ("offer_id")
  SELECT "id" FROM "inserted_offers" WHERE "status" = 'published'
  ON CONFLICT ("offer_id") DO UPDATE SET "queued_at" = "offer_search_pending"."queued_at";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "offer_search_queue_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "offer_search_pending" ("offer_id")
  SELECT n."id" FROM "updated_offers" n JOIN "previous_offers" o ON o."id" = n."id"
  WHERE (n."status" = 'published' OR o."status" = 'published')
    AND (n."search", n."status", n."institution_schac", n."alliances", n."issuer_countries", n."eqf_level", n."ects", n."isced_paths", n."languages", n."participation", n."qa_type", n."stackable", n."start_date")
    IS DISTINCT FROM (o."search", o."status", o."institution_schac", o."alliances", o."issuer_countries", o."eqf_level", o."ects", o."isced_paths", o."languages", o."participation", o."qa_type", o."stackable", o."start_date")
  ON CONFLICT ("offer_id") DO UPDATE SET "queued_at" = "offer_search_pending"."queued_at";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "offer_search_queue_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "offer_search_pending" ("offer_id")
  SELECT "id" FROM "deleted_offers"
  ON CONFLICT ("offer_id") DO UPDATE SET "queued_at" = "offer_search_pending"."queued_at";
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO "offer_search_pending" ("offer_id")
  SELECT o."id" FROM "offers" o LEFT JOIN "offer_search_ranking" r ON r."offer_id" = o."id"
  WHERE o."status" = 'published' AND (r."offer_id" IS NULL
    OR (r."search", r."institution_schac", r."alliances", r."issuer_countries", r."eqf_level", r."ects", r."isced_paths", r."languages", r."participation", r."qa_type", r."stackable", r."start_date")
       IS DISTINCT FROM (o."search", o."institution_schac", o."alliances", o."issuer_countries", o."eqf_level", o."ects", o."isced_paths", o."languages", o."participation", o."qa_type", o."stackable", o."start_date"))
  UNION
  SELECT r."offer_id" FROM "offer_search_ranking" r LEFT JOIN "offers" o ON o."id" = r."offer_id"
  WHERE o."id" IS NULL OR o."status" <> 'published'
  ON CONFLICT ("offer_id") DO NOTHING;
