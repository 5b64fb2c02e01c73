/** The worker as a library: tests of other packages run the real ingest worker in-process. */
export { createIngestWorker, type BatchResult, type IngestWorkerOptions } from "./ingest/worker.ts";
export { ingestEvents } from "./ingest/batch.ts";
export { parseBatch, type RejectedEvent } from "./ingest/validate.ts";
export type { StoredCounts } from "./ingest/context.ts";
export { createApp } from "./app.ts";
export { readHealth, type HealthReport } from "./health.ts";
