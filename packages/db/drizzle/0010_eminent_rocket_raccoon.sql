-- When the worker stored clicks and unfurls: incremental reconciliation finds the ones that reach the
-- database late (the links service spools events while Redis is down and replays them later) by it
-- (apps/worker/src/reconcile/touched.ts, run.ts). Unlike 0008, rows stored before this migration keep the
-- constant default, 0 ("long ago": full runs only), with no UPDATE: adding a column with a constant
-- default changes the schema only, where rewriting every click would take seconds and a WAL the size of the
-- table at a million clicks (measured: 2 ms vs 2.5 s; the index adds 1 s). A stamp copied from `ts` would
-- not find the rows that matter anyway: a late click's `ts` is old; the nightly full run covers them.
ALTER TABLE `clicks` ADD `received_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `clicks_received_idx` ON `clicks` (`received_at`);--> statement-breakpoint
ALTER TABLE `unfurls` ADD `received_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `unfurls_received_idx` ON `unfurls` (`received_at`);