export * from "./errors.ts";
export * from "./validate.ts";
export * from "./api-keys.ts";
export * from "./rate-limit.ts";
export * from "./request-id.ts";
export * from "./visitor-hash.ts";
export * from "./env.ts";
