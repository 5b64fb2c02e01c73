export * from "./channels.ts";
export * from "./classify/index.ts";
export * from "./answers/index.ts";
export * from "./attribution/index.ts";
export * from "./stats/index.ts";
export * from "./retention.ts";
export * from "./source-labels.ts";
