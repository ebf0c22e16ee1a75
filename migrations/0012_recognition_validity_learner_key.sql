DROP INDEX "recognition_one_in_force";--> statement-breakpoint
ALTER TABLE "recognition_decisions" ADD COLUMN "learner_key" text;--> statement-breakpoint
CREATE INDEX "recognition_key_in_force_idx" ON "recognition_decisions" USING btree ("recognising_institution","offer_id","scope","purpose","learner_key") WHERE "recognition_decisions"."status" = 'in_force';