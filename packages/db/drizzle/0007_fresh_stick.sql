ALTER TABLE `reconcile_state` ADD `latest_rows` text;--> statement-breakpoint
CREATE INDEX `conversions_share_token_idx` ON `conversions` (`share_token`);