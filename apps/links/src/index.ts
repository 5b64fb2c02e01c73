export { createApp, type LinksConfig, type LinksDeps } from "./app.ts";
export { createLinkCache, type CachedLink, type LinkCache } from "./link-cache.ts";
export { shortHostsOf } from "./links/destination.ts";
export { loadEnv, type Env } from "./env.ts";
