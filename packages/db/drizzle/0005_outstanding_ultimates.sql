-- The new columns of rows stored before this migration are filled by migrate() in TypeScript (src/answer-text.ts,
-- backfillNormalizedAnswerTexts): SQL cannot run the answer normaliser of @lantern/core.
ALTER TABLE `survey_responses` ADD `other_text_normalized` text;--> statement-breakpoint
ALTER TABLE `survey_responses` ADD `follow_up_text_normalized` text;--> statement-breakpoint
CREATE INDEX `survey_responses_other_norm_idx` ON `survey_responses` (`other_text_normalized`) WHERE "survey_responses"."other_text_normalized" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `survey_responses_follow_up_norm_idx` ON `survey_responses` (`follow_up_text_normalized`) WHERE "survey_responses"."follow_up_text_normalized" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `survey_responses_unnormalized_idx` ON `survey_responses` (`id`) WHERE (("survey_responses"."other_text" IS NOT NULL AND "survey_responses"."other_text_normalized" IS NULL) OR ("survey_responses"."follow_up_text" IS NOT NULL AND "survey_responses"."follow_up_text_normalized" IS NULL));