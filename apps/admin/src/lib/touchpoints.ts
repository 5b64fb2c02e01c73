import { sourceLabel } from "@lantern/core/source-labels";
import { humanize } from "./format.ts";
import type { Touchpoint } from "./types.ts";

const text = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/**
 * What a step of a conversion's path is called: its kind ("Click", "Arrival", "Self report"), and for an
 * untagged visit where it came from ("Visit from google.com", "Visit in WhatsApp's in-app browser").
 */
export function touchpointTitle(t: Pick<Touchpoint, "kind" | "evidence">): string {
  if (t.kind !== "visit") return humanize(t.kind);
  const e = t.evidence ?? {};
  const inApp = text(e.inApp);
  const host = text(e.referrerHost);
  if (e.rule === "visit:in_app" && inApp) return `Visit in ${sourceLabel(inApp)}'s in-app browser`;
  if (e.rule === "visit:campaign") return "Visit with campaign parameters";
  return host ? `Visit from ${host}` : "Visit";
}
