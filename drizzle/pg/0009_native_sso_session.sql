ALTER TABLE "grants" ADD COLUMN "session_id" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "device_secret_hash" text;--> statement-breakpoint
CREATE INDEX "grants_service_session_idx" ON "grants" USING btree ("service_id","session_id");