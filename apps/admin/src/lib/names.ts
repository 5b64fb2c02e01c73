import { humanize } from "./format.ts";

/**
 * Display names for the keys the services send: devices and countries. Apps and sites are named by
 * `sourceLabel` (@lantern/core/source-labels), channels by useChannels().label.
 */

/** "mobile" -> "Mobile"; the stats' placeholder "unknown" -> "Unknown device". */
export function deviceLabel(device: string): string {
  return device === "unknown" ? "Unknown device" : humanize(device);
}

let regions: Intl.DisplayNames | null | undefined;

/** An ISO 3166 country code in English ("DE" -> "Germany"); anything else ("unknown", "XX") as it comes. */
export function countryName(code: string): string {
  if (regions === undefined) regions = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region", fallback: "none" }) : null;
  if (!regions || !/^[A-Z]{2}$/.test(code)) return code === "unknown" ? "Unknown country" : code;
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}
