CREATE TABLE "awarding_consents" (
	"offer_id" uuid NOT NULL,
	"institution_schac" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "awarding_consents_offer_id_institution_schac_pk" PRIMARY KEY("offer_id","institution_schac"),
	CONSTRAINT "awarding_consents_status_valid" CHECK ("awarding_consents"."status" in ('pending', 'confirmed', 'declined'))
);
--> statement-breakpoint
ALTER TABLE "awarding_consents" ADD CONSTRAINT "awarding_consents_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awarding_consents" ADD CONSTRAINT "awarding_consents_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "awarding_consents_institution_idx" ON "awarding_consents" USING btree ("institution_schac","requested_at","offer_id");