DROP INDEX `unfurls_ts_idx`;--> statement-breakpoint
CREATE INDEX `unfurls_ts_app_idx` ON `unfurls` (`ts`,`app`);