CREATE TABLE "recognition_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recognising_institution" text NOT NULL,
	"offering_institution" text NOT NULL,
	"offer_id" uuid NOT NULL,
	"offer_version" integer NOT NULL,
	"scope" text NOT NULL,
	"learner_ref" text,
	"credential_ref" text,
	"purpose" text NOT NULL,
	"purpose_text" text,
	"outcome" text NOT NULL,
	"credits_recognised" numeric(5, 2) NOT NULL,
	"details" jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"decided_at" timestamp with time zone NOT NULL,
	"supersedes" uuid,
	"status" text DEFAULT 'in_force' NOT NULL,
	"superseded_by" uuid,
	"superseded_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recognition_status_valid" CHECK ("recognition_decisions"."status" in ('in_force', 'superseded', 'revoked')),
	CONSTRAINT "recognition_scope_valid" CHECK ("recognition_decisions"."scope" in ('ex_ante', 'individual')),
	CONSTRAINT "recognition_outcome_valid" CHECK ("recognition_decisions"."outcome" in ('full', 'partial', 'none'))
);
--> statement-breakpoint
ALTER TABLE "recognition_decisions" ADD CONSTRAINT "recognition_decisions_recognising_institution_institutions_schac_fk" FOREIGN KEY ("recognising_institution") REFERENCES "public"."institutions"("schac") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_decisions" ADD CONSTRAINT "recognition_decisions_offering_institution_institutions_schac_fk" FOREIGN KEY ("offering_institution") REFERENCES "public"."institutions"("schac") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_decisions" ADD CONSTRAINT "recognition_decisions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recognition_one_in_force" ON "recognition_decisions" USING btree ("recognising_institution","offer_id","scope",coalesce("learner_ref", ''),"purpose") WHERE "recognition_decisions"."status" = 'in_force';--> statement-breakpoint
CREATE INDEX "recognition_offer_idx" ON "recognition_decisions" USING btree ("offer_id","status");--> statement-breakpoint
CREATE INDEX "recognition_recognising_idx" ON "recognition_decisions" USING btree ("recognising_institution","created_at","id");--> statement-breakpoint
CREATE INDEX "recognition_offering_idx" ON "recognition_decisions" USING btree ("offering_institution","created_at","id");--> statement-breakpoint
CREATE INDEX "recognition_created_idx" ON "recognition_decisions" USING btree ("created_at","id");