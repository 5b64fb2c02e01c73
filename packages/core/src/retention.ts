/**
 * Retention of raw events: the admin server stores it as `retentionDays` of the privacy settings
 * (`settings` row `privacy`); the worker deletes raw events older than that. Roll-ups are kept.
 */

/** Key of the privacy settings (`{ honorDnt, honorGpc, retentionDays }`) in the `settings` table. */
export const PRIVACY_SETTINGS_KEY = "privacy";
/** Key of the `settings` row where the worker records how far back raw events are deleted: `{ "before": epoch ms }`. */
export const PRUNED_SETTINGS_KEY = "raw_events_pruned";
/** 13 months, the usual retention of analytics events; roll-ups are kept regardless. */
export const DEFAULT_RETENTION_DAYS = 395;
export const MIN_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;

/** The retention (days) of a stored privacy settings value: its `retentionDays` when valid, else the default. */
export function retentionDaysOf(privacy: unknown): number {
  const days = typeof privacy === "object" && privacy !== null ? (privacy as { retentionDays?: unknown }).retentionDays : undefined;
  return typeof days === "number" && Number.isInteger(days) && days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS ? days : DEFAULT_RETENTION_DAYS;
}
