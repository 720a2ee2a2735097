CREATE TABLE `pending_authorizations` (
	`request_hash` text NOT NULL,
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`kind` text NOT NULL,
	`completion_key_hash` text NOT NULL,
	`status` text NOT NULL,
	`payload_json` text NOT NULL,
	`interval_seconds` integer NOT NULL,
	`last_polled_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	PRIMARY KEY(`service_id`, `request_hash`),
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`client_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_authorizations_completion_idx` ON `pending_authorizations` (`service_id`,`kind`,`completion_key_hash`);--> statement-breakpoint
CREATE INDEX `pending_authorizations_client_idx` ON `pending_authorizations` (`client_id`);--> statement-breakpoint
CREATE INDEX `pending_authorizations_expires_idx` ON `pending_authorizations` (`expires_at_ms`);