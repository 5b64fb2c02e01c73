CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `links` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`url` text NOT NULL,
	`channel` text,
	`source` text,
	`campaign` text,
	`utm` text NOT NULL,
	`tags` text NOT NULL,
	`preview` text,
	`kit_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `links_slug_unique` ON `links` (`slug`);--> statement-breakpoint
CREATE INDEX `links_campaign_idx` ON `links` (`campaign`);--> statement-breakpoint
CREATE INDEX `links_kit_idx` ON `links` (`kit_id`);--> statement-breakpoint
CREATE INDEX `links_created_idx` ON `links` (`created_at`);--> statement-breakpoint
CREATE TABLE `clicks` (
	`id` text PRIMARY KEY NOT NULL,
	`link_id` text NOT NULL,
	`ts` integer NOT NULL,
	`visitor_hash` text,
	`channel` text NOT NULL,
	`source` text,
	`rule` text NOT NULL,
	`referrer_host` text,
	`in_app` text,
	`device` text,
	`browser` text,
	`os` text,
	`country` text,
	`campaign_params` text,
	`unfurl_app` text,
	`dnt` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `clicks_link_ts_idx` ON `clicks` (`link_id`,`ts`);--> statement-breakpoint
CREATE INDEX `clicks_ts_idx` ON `clicks` (`ts`);--> statement-breakpoint
CREATE INDEX `clicks_visitor_idx` ON `clicks` (`visitor_hash`);--> statement-breakpoint
CREATE TABLE `unfurls` (
	`id` text PRIMARY KEY NOT NULL,
	`link_id` text NOT NULL,
	`ts` integer NOT NULL,
	`app` text NOT NULL,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `unfurls_link_ts_idx` ON `unfurls` (`link_id`,`ts`);--> statement-breakpoint
CREATE INDEX `unfurls_ts_idx` ON `unfurls` (`ts`);--> statement-breakpoint
CREATE TABLE `bot_hits` (
	`id` text PRIMARY KEY NOT NULL,
	`link_id` text NOT NULL,
	`ts` integer NOT NULL,
	`bot` text,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `bot_hits_link_ts_idx` ON `bot_hits` (`link_id`,`ts`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`visitor_id` text PRIMARY KEY NOT NULL,
	`share_token` text,
	`lcid` text,
	`link_id` text,
	`parent_visitor_id` text,
	`generation` integer DEFAULT 0 NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visitors_share_token_unique` ON `visitors` (`share_token`);--> statement-breakpoint
CREATE INDEX `visitors_link_idx` ON `visitors` (`link_id`);--> statement-breakpoint
CREATE INDEX `visitors_parent_idx` ON `visitors` (`parent_visitor_id`);--> statement-breakpoint
CREATE TABLE `arrivals` (
	`id` text PRIMARY KEY NOT NULL,
	`ts` integer NOT NULL,
	`share_token` text NOT NULL,
	`visitor_id` text NOT NULL,
	`parent_visitor_id` text,
	`generation` integer DEFAULT 1 NOT NULL,
	`link_id` text,
	`referrer_host` text,
	`page` text,
	`in_app` text,
	`channel` text NOT NULL,
	`source` text,
	`rule` text NOT NULL,
	`dark` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `arrivals_token_idx` ON `arrivals` (`share_token`);--> statement-breakpoint
CREATE INDEX `arrivals_visitor_idx` ON `arrivals` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `arrivals_link_idx` ON `arrivals` (`link_id`);--> statement-breakpoint
CREATE INDEX `arrivals_ts_idx` ON `arrivals` (`ts`);--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`external_id` text,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL,
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
CREATE UNIQUE INDEX `conversions_external_id_unique` ON `conversions` (`external_id`);--> statement-breakpoint
CREATE INDEX `conversions_ts_idx` ON `conversions` (`ts`);--> statement-breakpoint
CREATE INDEX `conversions_visitor_idx` ON `conversions` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `conversions_lcid_idx` ON `conversions` (`lcid`);--> statement-breakpoint
CREATE INDEX `conversions_respondent_idx` ON `conversions` (`respondent_hash`);--> statement-breakpoint
CREATE INDEX `conversions_received_idx` ON `conversions` (`received_at`);--> statement-breakpoint
CREATE TABLE `survey_options` (
	`id` text PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`channel` text,
	`source` text,
	`follow_up` text,
	`archived_at` integer
);
--> statement-breakpoint
CREATE INDEX `survey_options_survey_idx` ON `survey_options` (`survey_id`,`position`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`question` text NOT NULL,
	`default_locale` text DEFAULT 'en' NOT NULL,
	`randomize` integer DEFAULT true NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`thank_you` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE TABLE `answer_labels` (
	`normalized_text` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`source` text,
	`labeled_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`option_id` text,
	`other_text` text,
	`follow_up_text` text,
	`channel` text,
	`source` text,
	`confidence` real,
	`rule` text NOT NULL,
	`respondent_hash` text,
	`external_id` text,
	`lcid` text,
	`visitor_id` text,
	`share_token` text,
	`conversion_id` text,
	`locale` text,
	`idempotency_key` text,
	`dedupe_key` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_responses_idempotency_key_unique` ON `survey_responses` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `survey_responses_dedupe_key_unique` ON `survey_responses` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `survey_responses_survey_ts_idx` ON `survey_responses` (`survey_id`,`ts`);--> statement-breakpoint
CREATE INDEX `survey_responses_conversion_idx` ON `survey_responses` (`conversion_id`);--> statement-breakpoint
CREATE INDEX `survey_responses_received_idx` ON `survey_responses` (`received_at`);--> statement-breakpoint
CREATE TABLE `survey_skips` (
	`id` text PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`ts` integer NOT NULL,
	`visitor_id` text,
	`lcid` text
);
--> statement-breakpoint
CREATE INDEX `survey_skips_survey_ts_idx` ON `survey_skips` (`survey_id`,`ts`);--> statement-breakpoint
CREATE TABLE `survey_views` (
	`id` text PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`ts` integer NOT NULL,
	`visitor_id` text,
	`lcid` text,
	`placement` text
);
--> statement-breakpoint
CREATE INDEX `survey_views_survey_ts_idx` ON `survey_views` (`survey_id`,`ts`);--> statement-breakpoint
CREATE TABLE `attribution_credits` (
	`conversion_id` text NOT NULL,
	`view` text NOT NULL,
	`model` text NOT NULL,
	`position` integer NOT NULL,
	`ts` integer NOT NULL,
	`channel` text NOT NULL,
	`source` text,
	`credit` real NOT NULL,
	`value` real,
	`rule` text NOT NULL,
	`ruleset_version` text NOT NULL,
	PRIMARY KEY(`conversion_id`, `view`, `model`, `position`)
);
--> statement-breakpoint
CREATE INDEX `attr_credits_ts_idx` ON `attribution_credits` (`ts`);--> statement-breakpoint
CREATE TABLE `attribution_daily` (
	`day` text NOT NULL,
	`view` text NOT NULL,
	`model` text NOT NULL,
	`channel` text NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`credits` real NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`day`, `view`, `model`, `channel`, `source`)
);
--> statement-breakpoint
CREATE TABLE `conversion_attribution` (
	`conversion_id` text PRIMARY KEY NOT NULL,
	`ts` integer NOT NULL,
	`value` real,
	`software_channel` text NOT NULL,
	`software_source` text,
	`self_channel` text,
	`self_source` text,
	`blended_channel` text NOT NULL,
	`blended_source` text,
	`responded` integer NOT NULL,
	`dark` integer NOT NULL,
	`dark_reasons` text NOT NULL,
	`path` text NOT NULL,
	`link_id` text,
	`campaign` text,
	`rule` text NOT NULL,
	`ruleset_version` text NOT NULL,
	`reconciled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conv_attr_ts_idx` ON `conversion_attribution` (`ts`);--> statement-breakpoint
CREATE INDEX `conv_attr_link_idx` ON `conversion_attribution` (`link_id`);--> statement-breakpoint
CREATE TABLE `link_daily` (
	`day` text NOT NULL,
	`link_id` text NOT NULL,
	`campaign` text,
	`clicks` integer DEFAULT 0 NOT NULL,
	`unfurls` integer DEFAULT 0 NOT NULL,
	`reshares` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`dark_conversions` integer DEFAULT 0 NOT NULL,
	`value` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `link_id`)
);
--> statement-breakpoint
CREATE TABLE `reconcile_state` (
	`id` text PRIMARY KEY NOT NULL,
	`watermark` integer NOT NULL,
	`last_run_at` integer,
	`last_run_ms` integer,
	`last_run_conversions` integer,
	`ruleset_version` text
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `channels` (
	`key` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`group` text NOT NULL,
	`dark` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `salts` (
	`day` text PRIMARY KEY NOT NULL,
	`salt` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
