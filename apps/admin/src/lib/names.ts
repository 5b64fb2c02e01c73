/**
 * Display names for the keys the services send: devices and countries. Apps and sites are named by
 * `sourceLabel` (@lantern/core/source-labels), channels by useChannels().label.
 */

const DEVICES: Readonly<Record<string, string>> = { mobile: "Mobile", desktop: "Desktop", tablet: "Tablet", unknown: "Unknown device" };

/** "mobile" -> "Mobile"; a device type the services add later shows as it comes. */
export function deviceLabel(device: string): string {
  return Object.hasOwn(DEVICES, device) ? DEVICES[device]! : device;
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
