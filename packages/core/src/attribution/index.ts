export * from "./types.ts";
export * from "./evidence.ts";
export * from "./identity.ts";
export * from "./models.ts";
export * from "./attach.ts";
export * from "./reconcile.ts";
export * from "./day.ts";
