ALTER TABLE "changes" ADD COLUMN "valid_from" date;--> statement-breakpoint
ALTER TABLE "changes" ADD COLUMN "valid_until" date;