export * from "./default-survey.ts";
export * from "./free-text.ts";
export * from "./normalize.ts";
export * from "./option-mapping.ts";
export * from "./follow-up.ts";
