/**
 * When a reported conversion happened (`occurredAt`), as the links and surveys services check it: from
 * 2000 on (a smaller number is a unit mistake, seconds for milliseconds) and not ahead of the receiving
 * server's clock by more than a few minutes (clocks drift; orders do not come from the future).
 */
export const EARLIEST_OCCURRED_AT = Date.UTC(2000, 0, 1);
export const OCCURRED_AT_FUTURE_SLACK_MS = 5 * 60_000;
export const OCCURRED_AT_TOO_EARLY = "must be from 2000 on (a number is epoch milliseconds, not seconds)";

/** Why `occurredAt` cannot be taken at `now` (null when it can, or when there is none). */
export function occurredAtInFuture(occurredAt: number | null | undefined, now: number): string | null {
  return occurredAt != null && occurredAt > now + OCCURRED_AT_FUTURE_SLACK_MS ? "lies in the future (more than 5 minutes ahead of this server's clock)" : null;
}
