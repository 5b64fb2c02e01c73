DROP INDEX `conv_attr_report_idx`;--> statement-breakpoint
ALTER TABLE `conversion_attribution` ADD `answer_named` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `conversion_attribution` ADD `answer_dark` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `conversion_attribution` ADD `software_dark` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill from the columns the facts were derived from until now (reasons are stored sorted, the answer's first).
UPDATE `conversion_attribution` SET `answer_named` = (`self_channel` IS NOT NULL), `software_dark` = (`dark_reasons` NOT IN ('[]', '["dark_self_report"]')), `answer_dark` = (substr(`dark_reasons`, 1, 19) = '["dark_self_report"');--> statement-breakpoint
CREATE INDEX `conv_attr_report_idx` ON `conversion_attribution` (`software_channel`,`responded`,`dark`,`blended_channel`,`answer_named`,`software_dark`,`answer_dark`,`self_channel`,`ts`,`value`,`self_source`,`dark_reasons`);