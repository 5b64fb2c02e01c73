export * from "./wilson.ts";
export * from "./post-stratify.ts";
export * from "./beta.ts";
export * from "./dirichlet.ts";
export * from "./naive.ts";
export * from "./gap.ts";
export * from "./dark-share.ts";
export * from "./channel-mix.ts";
