PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_access_tokens` (
	`token_hash` text NOT NULL,
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`grant_id` text NOT NULL,
	`subject` text,
	`scopes_json` text NOT NULL,
	`refresh_token_hash` text,
	`details_json` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`revoked_at_ms` integer,
	PRIMARY KEY(`token_hash`, `service_id`),
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`grant_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_access_tokens`("token_hash", "service_id", "client_id", "grant_id", "subject", "scopes_json", "refresh_token_hash", "details_json", "created_at_ms", "expires_at_ms", "revoked_at_ms") SELECT "token_hash", "service_id", "client_id", "grant_id", "subject", "scopes_json", "refresh_token_hash", "details_json", "created_at_ms", "expires_at_ms", "revoked_at_ms" FROM `access_tokens`;--> statement-breakpoint
DROP TABLE `access_tokens`;--> statement-breakpoint
ALTER TABLE `__new_access_tokens` RENAME TO `access_tokens`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `access_tokens_grant_refresh_idx` ON `access_tokens` (`grant_id`,`refresh_token_hash`);--> statement-breakpoint
CREATE INDEX `access_tokens_client_subject_idx` ON `access_tokens` (`client_id`,`subject`);--> statement-breakpoint
CREATE INDEX `access_tokens_expires_idx` ON `access_tokens` (`expires_at_ms`);--> statement-breakpoint
CREATE TABLE `__new_refresh_tokens` (
	`token_hash` text NOT NULL,
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`grant_id` text NOT NULL,
	`subject` text,
	`scopes_json` text NOT NULL,
	`details_json` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`rotated_at_ms` integer,
	`revoked_at_ms` integer,
	PRIMARY KEY(`token_hash`, `service_id`),
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`grant_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_refresh_tokens`("token_hash", "service_id", "client_id", "grant_id", "subject", "scopes_json", "details_json", "created_at_ms", "expires_at_ms", "rotated_at_ms", "revoked_at_ms") SELECT "token_hash", "service_id", "client_id", "grant_id", "subject", "scopes_json", "details_json", "created_at_ms", "expires_at_ms", "rotated_at_ms", "revoked_at_ms" FROM `refresh_tokens`;--> statement-breakpoint
DROP TABLE `refresh_tokens`;--> statement-breakpoint
ALTER TABLE `__new_refresh_tokens` RENAME TO `refresh_tokens`;--> statement-breakpoint
CREATE INDEX `refresh_tokens_grant_idx` ON `refresh_tokens` (`grant_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_expires_idx` ON `refresh_tokens` (`expires_at_ms`);