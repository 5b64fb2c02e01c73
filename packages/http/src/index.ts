export * from "./api-keys.ts";
export * from "./env.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./rate-limit.ts";
export * from "./request-id.ts";
export * from "./validate.ts";
export * from "./visitor-hash.ts";
