CREATE TABLE `granted_scopes` (
	`service_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`subject` text NOT NULL,
	`latest_granted_scopes_json` text NOT NULL,
	`merged_granted_scopes_json` text NOT NULL,
	`latest_granted_claims_json` text NOT NULL,
	`merged_granted_claims_json` text NOT NULL,
	`modified_at_ms` integer NOT NULL,
	PRIMARY KEY(`service_id`, `client_id`, `subject`),
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`client_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `grants` ADD `scopes_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `grants` ADD `claims_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `grants` ADD `authorization_details_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `grants` ADD `resources_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `grants` ADD `consented_at_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `grants_service_subject_idx` ON `grants` (`service_id`,`subject`);--> statement-breakpoint
UPDATE `grants` SET `consented_at_ms` = `created_at_ms`;