CREATE TABLE `dpop_proof_jtis` (
	`service_id` integer NOT NULL,
	`jkt_jti_hash` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	PRIMARY KEY(`service_id`, `jkt_jti_hash`),
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dpop_proof_jtis_expires_idx` ON `dpop_proof_jtis` (`expires_at_ms`);