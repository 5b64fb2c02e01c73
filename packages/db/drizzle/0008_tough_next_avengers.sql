-- When the worker stored arrivals and visitors' places in the share graph: incremental reconciliation
-- finds late arrivals and landings by it (apps/worker/src/reconcile/touched.ts). Rows stored before this
-- migration get the time they happened (never later than now: a clock ahead must not move the watermark).
ALTER TABLE `visitors` ADD `received_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `visitors` SET `received_at` = min(`last_seen`, unixepoch() * 1000);--> statement-breakpoint
CREATE INDEX `visitors_received_idx` ON `visitors` (`received_at`);--> statement-breakpoint
ALTER TABLE `arrivals` ADD `received_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `arrivals` SET `received_at` = min(`ts`, unixepoch() * 1000);--> statement-breakpoint
CREATE INDEX `arrivals_received_idx` ON `arrivals` (`received_at`);--> statement-breakpoint
CREATE INDEX `survey_responses_loose_respondent_idx` ON `survey_responses` (`conversion_id`,`respondent_hash`,`ts`) WHERE "survey_responses"."conversion_id" IS NULL;--> statement-breakpoint
CREATE INDEX `survey_responses_loose_visitor_idx` ON `survey_responses` (`conversion_id`,`visitor_id`,`ts`) WHERE "survey_responses"."conversion_id" IS NULL;--> statement-breakpoint
CREATE INDEX `survey_responses_loose_lcid_idx` ON `survey_responses` (`conversion_id`,`lcid`,`ts`) WHERE "survey_responses"."conversion_id" IS NULL;
