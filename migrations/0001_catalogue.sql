CREATE TABLE "offer_versions" (
	"offer_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"compliance" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "offer_versions_offer_id_version_pk" PRIMARY KEY("offer_id","version")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_schac" text NOT NULL,
	"external_id" text NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"compliance" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"ects" numeric(5, 2),
	"eqf_level" smallint,
	"languages" text[] NOT NULL,
	"isced_paths" text[] NOT NULL,
	"participation" text[] NOT NULL,
	"qa_type" text,
	"stackable" boolean NOT NULL,
	"start_date" date,
	"issuer_countries" text[] NOT NULL,
	"alliances" text[] NOT NULL,
	"sort_title" text NOT NULL,
	"search" "tsvector" NOT NULL,
	CONSTRAINT "offers_status_valid" CHECK ("offers"."status" in ('draft', 'published', 'withdrawn'))
);
--> statement-breakpoint
ALTER TABLE "offer_versions" ADD CONSTRAINT "offer_versions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "offers_institution_external_id_key" ON "offers" USING btree ("institution_schac","external_id");--> statement-breakpoint
CREATE INDEX "offers_search_idx" ON "offers" USING gin ("search") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_published_created_idx" ON "offers" USING btree ("created_at","id") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_published_updated_idx" ON "offers" USING btree ("updated_at","id") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_published_ects_idx" ON "offers" USING btree ("ects","id") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_published_title_idx" ON "offers" USING btree ("sort_title","id") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_published_eqf_idx" ON "offers" USING btree ("eqf_level") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_published_start_idx" ON "offers" USING btree ("start_date") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_languages_idx" ON "offers" USING gin ("languages") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_isced_idx" ON "offers" USING gin ("isced_paths") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_participation_idx" ON "offers" USING gin ("participation") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_countries_idx" ON "offers" USING gin ("issuer_countries") WHERE "offers"."status" = 'published';--> statement-breakpoint
CREATE INDEX "offers_alliances_idx" ON "offers" USING gin ("alliances") WHERE "offers"."status" = 'published';