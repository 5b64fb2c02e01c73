export * from "./events.ts";
export * from "./queues.ts";
export * from "./connection.ts";
export * from "./batch-codec.ts";
