ALTER TABLE `grants` ADD `session_id` text;--> statement-breakpoint
ALTER TABLE `grants` ADD `device_secret_hash` text;--> statement-breakpoint
CREATE INDEX `grants_service_session_idx` ON `grants` (`service_id`,`session_id`);