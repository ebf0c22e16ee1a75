CREATE TABLE "recognition_settings" (
	"institution_schac" text PRIMARY KEY NOT NULL,
	"decision_time_limit" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recognition_settings" ADD CONSTRAINT "recognition_settings_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE cascade ON UPDATE no action;