CREATE TABLE "offer_search_pending" (
	"offer_id" uuid PRIMARY KEY NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_search_ranking" (
	"offer_id" uuid PRIMARY KEY NOT NULL,
	"search" "tsvector" NOT NULL,
	"institution_schac" text NOT NULL,
	"alliances" text[] NOT NULL,
	"issuer_countries" text[] NOT NULL,
	"eqf_level" smallint,
	"ects" numeric(5, 2),
	"isced_paths" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"participation" text[] NOT NULL,
	"qa_type" text,
	"stackable" boolean NOT NULL,
	"start_date" date
);
