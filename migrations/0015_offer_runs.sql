CREATE TABLE "offer_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"institution_schac" text NOT NULL,
	"run_id" text NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"application_opens" date,
	"application_closes" date,
	"places_available" integer,
	"mode" text NOT NULL,
	"open_to" text NOT NULL,
	"open_to_institutions" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offer_runs_dates_ordered" CHECK ("offer_runs"."end_date" >= "offer_runs"."start_date"),
	CONSTRAINT "offer_runs_open_to_valid" CHECK ("offer_runs"."open_to" in ('anyone', 'alliance_students', 'institutions'))
);
--> statement-breakpoint
ALTER TABLE "offer_runs" ADD CONSTRAINT "offer_runs_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_runs" ADD CONSTRAINT "offer_runs_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "offer_runs_offer_run_id_key" ON "offer_runs" USING btree ("offer_id","run_id");--> statement-breakpoint
CREATE INDEX "offer_runs_offer_start_idx" ON "offer_runs" USING btree ("offer_id","start_date");--> statement-breakpoint
CREATE INDEX "offer_runs_start_idx" ON "offer_runs" USING btree ("start_date","offer_id");--> statement-breakpoint
CREATE INDEX "offer_runs_application_idx" ON "offer_runs" USING btree ("application_closes","application_opens","offer_id") WHERE "offer_runs"."application_closes" is not null;--> statement-breakpoint
CREATE INDEX "offer_runs_mode_idx" ON "offer_runs" USING btree ("mode","offer_id");--> statement-breakpoint
CREATE INDEX "offer_runs_places_idx" ON "offer_runs" USING btree ("offer_id") WHERE "offer_runs"."places_available" > 0;