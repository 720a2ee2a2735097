DROP INDEX `access_tokens_grant_idx`;--> statement-breakpoint
CREATE INDEX `access_tokens_grant_refresh_idx` ON `access_tokens` (`grant_id`,`refresh_token_hash`);