ALTER TABLE "alliance_members" DROP CONSTRAINT "alliance_members_institution_schac_institutions_schac_fk";
--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_institution_schac_institutions_schac_fk" FOREIGN KEY ("institution_schac") REFERENCES "public"."institutions"("schac") ON DELETE restrict ON UPDATE no action;