CREATE TABLE "alliance_members" (
	"alliance_slug" text NOT NULL,
	"institution_schac" text NOT NULL,
	CONSTRAINT "alliance_members_alliance_slug_institution_schac_pk" PRIMARY KEY("alliance_slug","institution_schac")
);
--> statement-breakpoint
CREATE TABLE "alliances" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"website" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_schac" text,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"key_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_clients_key_prefix_unique" UNIQUE("key_prefix"),
	CONSTRAINT "api_clients_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"schac" text PRIMARY KEY NOT NULL,
	"name" jsonb NOT NULL,
	"country" text NOT NULL,
	"website" text,
	"erasmus_code" text,
	"deqar_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "institutions_erasmus_code_unique" UNIQUE("erasmus_code"),
	CONSTRAINT "institutions_deqar_id_unique" UNIQUE("deqar_id"),
	CONSTRAINT "institutions_country_iso" CHECK ("institutions"."country" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_alliance_slug_alliances_slug_fk" FOREIGN KEY ("alliance_slug") REFERENCES "public"."alliances"("slug") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alliance_members_institution_idx" ON "alliance_members" USING btree ("institution_schac","alliance_slug");--> statement-breakpoint
CREATE INDEX "api_clients_institution_idx" ON "api_clients" USING btree ("institution_schac","id");--> statement-breakpoint
CREATE INDEX "institutions_country_idx" ON "institutions" USING btree ("country","schac");