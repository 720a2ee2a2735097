CREATE TABLE `access_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
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
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`grant_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `access_tokens_grant_idx` ON `access_tokens` (`grant_id`);--> statement-breakpoint
CREATE INDEX `access_tokens_client_subject_idx` ON `access_tokens` (`client_id`,`subject`);--> statement-breakpoint
CREATE INDEX `access_tokens_expires_idx` ON `access_tokens` (`expires_at_ms`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`service_id` integer,
	`token_hash` text NOT NULL,
	`permissions_json` text NOT NULL,
	`description` text,
	`created_at_ms` integer NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_idx` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_service_idx` ON `api_tokens` (`service_id`);--> statement-breakpoint
CREATE TABLE `authorization_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`grant_id` text NOT NULL,
	`payload_json` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`consumed_at_ms` integer,
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`grant_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `authorization_codes_grant_idx` ON `authorization_codes` (`grant_id`);--> statement-breakpoint
CREATE INDEX `authorization_codes_expires_idx` ON `authorization_codes` (`expires_at_ms`);--> statement-breakpoint
CREATE TABLE `client_assertion_jtis` (
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`jti` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	PRIMARY KEY(`client_id`, `jti`),
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`client_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `client_assertion_jtis_expires_idx` ON `client_assertion_jtis` (`expires_at_ms`);--> statement-breakpoint
CREATE TABLE `clients` (
	`client_id` integer PRIMARY KEY NOT NULL,
	`service_id` integer NOT NULL,
	`client_id_alias` text NOT NULL,
	`developer` text,
	`locked` integer NOT NULL,
	`secret_hash` text,
	`secret_sealed` text,
	`settings_json` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`modified_at_ms` integer NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_alias_idx` ON `clients` (`service_id`,`client_id_alias`);--> statement-breakpoint
CREATE INDEX `clients_listing_idx` ON `clients` (`service_id`,`created_at_ms`,`client_id`);--> statement-breakpoint
CREATE INDEX `clients_developer_idx` ON `clients` (`service_id`,`developer`);--> statement-breakpoint
CREATE TABLE `grants` (
	`grant_id` text PRIMARY KEY NOT NULL,
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`subject` text,
	`created_at_ms` integer NOT NULL,
	`revoked_at_ms` integer,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`client_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `grants_client_subject_idx` ON `grants` (`client_id`,`subject`);--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
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
	FOREIGN KEY (`grant_id`) REFERENCES `grants`(`grant_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `refresh_tokens_grant_idx` ON `refresh_tokens` (`grant_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_expires_idx` ON `refresh_tokens` (`expires_at_ms`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` integer PRIMARY KEY NOT NULL,
	`issuer` text NOT NULL,
	`settings_json` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`modified_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `services_created_idx` ON `services` (`created_at_ms`,`id`);--> statement-breakpoint
CREATE INDEX `services_issuer_idx` ON `services` (`issuer`);--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`service_id` integer NOT NULL,
	`kid` text NOT NULL,
	`alg` text NOT NULL,
	`public_jwk_json` text NOT NULL,
	`private_jwk_sealed` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`activates_at_ms` integer NOT NULL,
	`retires_at_ms` integer,
	PRIMARY KEY(`service_id`, `kid`),
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tickets` (
	`ticket_hash` text PRIMARY KEY NOT NULL,
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`kind` text NOT NULL,
	`payload_json` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`client_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tickets_client_idx` ON `tickets` (`client_id`);--> statement-breakpoint
CREATE INDEX `tickets_expires_idx` ON `tickets` (`expires_at_ms`);