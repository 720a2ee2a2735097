ALTER TABLE `signing_keys` ADD `signed_until_ms` integer;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `revoked_at_ms` integer;