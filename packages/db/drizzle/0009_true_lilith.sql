-- attribution_credits only ever read by conversion (the reconciler; reports read the roll-ups): no ts
-- index, and a WITHOUT ROWID table keyed by its primary key, so a full run's ~2.3 million rows go into
-- one b-tree instead of three. drizzle cannot declare WITHOUT ROWID (see packages/db/src/schema/attribution.ts).
-- Rows are copied in key order: appends to the new b-tree.
DROP INDEX `attr_credits_ts_idx`;--> statement-breakpoint
CREATE TABLE `__new_attribution_credits` (
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_attribution_credits` (`conversion_id`, `view`, `model`, `position`, `ts`, `channel`, `source`, `credit`, `value`, `rule`, `ruleset_version`)
  SELECT `conversion_id`, `view`, `model`, `position`, `ts`, `channel`, `source`, `credit`, `value`, `rule`, `ruleset_version` FROM `attribution_credits`
  ORDER BY `conversion_id`, `view`, `model`, `position`;--> statement-breakpoint
DROP TABLE `attribution_credits`;--> statement-breakpoint
ALTER TABLE `__new_attribution_credits` RENAME TO `attribution_credits`;
