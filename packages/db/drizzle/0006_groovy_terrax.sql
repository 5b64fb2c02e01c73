CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`visitor_id` text NOT NULL,
	`referrer_host` text,
	`page` text,
	`in_app` text,
	`channel` text NOT NULL,
	`source` text,
	`rule` text NOT NULL,
	`dark` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `visits_visitor_idx` ON `visits` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `visits_ts_idx` ON `visits` (`ts`);--> statement-breakpoint
CREATE INDEX `visits_received_idx` ON `visits` (`received_at`);