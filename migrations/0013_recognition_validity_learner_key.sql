CREATE TABLE "recognition_settings" (
	"institution_schac" text PRIMARY KEY NOT NULL,
	"decision_time_limit" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "recognition_one_in_force";--> statement-breakpoint
ALTER TABLE "recognition_decisions" ADD COLUMN "learner_key" text;--> statement-breakpoint
ALTER TABLE "recognition_settings" ADD CONSTRAINT "recognition_settings_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recognition_key_in_force_idx" ON "recognition_decisions" USING btree ("recognising_institution","offer_id","scope","purpose","learner_key") WHERE "recognition_decisions"."status" = 'in_force';