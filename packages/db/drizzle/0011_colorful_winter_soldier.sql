-- Every report of an order, so that the stored conversion is derived from all of them whatever order they
-- arrived in (src/schema/conversion-reports.ts, apps/worker/src/ingest/conversions.ts). Conversions stored
-- before this migration get one report each, holding what the row holds, made at the conversion's time and
-- saying nothing of when it happened (whether the first report gave a time is not kept): a later report
-- ranks against it as against a report made then, and the row's time moves only to an earlier report's.
CREATE TABLE `conversion_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`rank` integer NOT NULL,
	`ts` integer NOT NULL,
	`occurred_at` integer,
	`type` text NOT NULL,
	`value` real,
	`currency` text,
	`lcid` text,
	`visitor_id` text,
	`share_token` text,
	`respondent_hash` text,
	`origin` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversion_reports_external_idx` ON `conversion_reports` (`external_id`);--> statement-breakpoint
INSERT INTO `conversion_reports` (`id`, `external_id`, `rank`, `ts`, `occurred_at`, `type`, `value`, `currency`, `lcid`, `visitor_id`, `share_token`, `respondent_hash`, `origin`)
SELECT 'stored:' || `id`, `external_id`, CASE `origin` WHEN 'api' THEN 2 ELSE 1 END, `ts`, NULL, `type`, `value`, `currency`,
       nullif(`lcid`, ''), nullif(`visitor_id`, ''), nullif(`share_token`, ''), nullif(`respondent_hash`, ''), `origin`
FROM `conversions` WHERE `external_id` IS NOT NULL;