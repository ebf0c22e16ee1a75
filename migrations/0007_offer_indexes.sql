-- Filtered pages in the default order walk one EQF level's offers only.
DROP INDEX "offers_published_eqf_idx";--> statement-breakpoint
CREATE INDEX "offers_published_eqf_created_idx" ON "offers" USING btree ("eqf_level","created_at","id") WHERE "offers"."status" = 'published';--> statement-breakpoint
-- A smaller GIN pending list (the default is 4 MB) is merged sooner, so searches after a large
-- sync do not scan megabytes of unmerged entries. A storage parameter: no rebuild needed.
ALTER INDEX "offers_search_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "offers_languages_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "offers_isced_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "offers_participation_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "offers_countries_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "offers_alliances_idx" SET (gin_pending_list_limit = 256);
