export { type Proc, REPO_ROOT, startProcess } from "@lantern/queue/testing/process";

export const LINKS_ENTRY = "apps/links/src/main.ts";
export const WORKER_ENTRY = "apps/worker/src/main.ts";
