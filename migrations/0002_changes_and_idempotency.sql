CREATE TABLE "changes" (
	"sequence" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "changes_sequence_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"version" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"institution" text,
	"visible_to" text[]
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"client_key" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_client_key_key_pk" PRIMARY KEY("client_key","key")
);
--> statement-breakpoint
CREATE INDEX "changes_institution_idx" ON "changes" USING btree ("institution","sequence");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");