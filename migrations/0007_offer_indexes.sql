DROP INDEX "offers_published_eqf_idx";--> statement-breakpoint
DROP INDEX "offers_search_idx";--> statement-breakpoint
DROP INDEX "offers_languages_idx";--> statement-breakpoint
DROP INDEX "offers_isced_idx";--> statement-breakpoint
DROP INDEX "offers_participation_idx";--> statement-breakpoint
DROP INDEX "offers_countries_idx";--> statement-breakpoint
DROP INDEX "offers_alliances_idx";--> statement-breakpoint
CREATE INDEX "offers_published_eqf_created_idx" ON "offers" USING btree ("eqf_level","created_at","id") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_search_idx" ON "offers" USING gin ("search") WITH (gin_pending_list_limit=256) WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_languages_idx" ON "offers" USING gin ("languages") WITH (gin_pending_list_limit=256) WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_isced_idx" ON "offers" USING gin ("isced_paths") WITH (gin_pending_list_limit=256) WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_participation_idx" ON "offers" USING gin ("participation") WITH (gin_pending_list_limit=256) WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_countries_idx" ON "offers" USING gin ("issuer_countries") WITH (gin_pending_list_limit=256) WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_alliances_idx" ON "offers" USING gin ("alliances") WITH (gin_pending_list_limit=256) WHERE "offers"."status" = 'published';