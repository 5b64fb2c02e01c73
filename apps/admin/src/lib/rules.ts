import { humanize } from "./format.ts";

/**
 * What each blended rule of the reconciler means (packages/core attribution/reconcile.ts,
 * blendedDecision), in words a marketer reads at a glance. The rule id itself stays in the tooltip
 * and in the CSV export.
 */
const BLENDED_RULES: Record<string, string> = {
  "blended:no_evidence": "Nothing seen or named",
  "blended:software_only": "Tracking (no channel named)",
  "blended:self_report_over_direct": "Answer (tracking saw direct)",
  "blended:agree": "Tracking and answer agree",
  "blended:software_dark_confirmed": "Tracking (both private)",
  "blended:self_report_untrackable": "Answer (untrackable channel)",
  "blended:software_over_self_report": "Tracking (measured it)",
};

export function describeRule(rule: string): string {
  return BLENDED_RULES[rule] ?? humanize(rule.replace(/^[a-z]+:/, ""));
}
