import type { LinkUtm } from "@lantern/db/schema";

/**
 * UTMs a tagged link adds by default: utm_source=<source>, utm_medium=<channel>, utm_campaign=<campaign>.
 * They let the destination's own analytics see the channel even when the click arrives with no referrer.
 */
export function defaultUtm(source: string | null, channel: string | null, campaign: string | null): LinkUtm {
  const utm: LinkUtm = {};
  if (source) utm.source = source;
  if (channel) utm.medium = channel;
  if (campaign) utm.campaign = campaign;
  return utm;
}

/** Explicit fields win over the defaults; `false` means "add no UTMs". */
export function resolveUtm(defaults: LinkUtm, explicit: LinkUtm | false | undefined): LinkUtm {
  if (explicit === false) return {};
  return { ...defaults, ...explicit };
}

/**
 * After source, channel or campaign changed: each UTM field that still held the old default follows
 * the new default; fields someone set by hand stay as they were.
 */
export function rederiveUtm(current: LinkUtm, oldDefaults: LinkUtm, newDefaults: LinkUtm): LinkUtm {
  const next: LinkUtm = { ...current };
  for (const key of ["source", "medium", "campaign"] as const) {
    if (current[key] !== oldDefaults[key]) continue;
    if (newDefaults[key]) next[key] = newDefaults[key];
    else delete next[key];
  }
  return next;
}
