export { backfillNormalizedAnswerTexts, normalizedAnswerTexts } from "./answer-text.ts";
export { createDb, databaseFile, type Db, type DbOptions } from "./client.ts";
export { MIGRATIONS_FOLDER, migrate } from "./migrate.ts";
export * as schema from "./schema/index.ts";
export { serialiseWrites } from "./write-lock.ts";
export { backupDatabase, type BackupResult } from "./backup.ts";
