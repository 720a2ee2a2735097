ALTER TABLE "signing_keys" ADD COLUMN "signed_until_ms" bigint;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "revoked_at_ms" bigint;