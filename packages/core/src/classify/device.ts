/// <reference path="./ua-parser-js.d.ts" />
/**
 * Device, browser and OS of a user agent, for the per-link breakdowns. ua-parser-js 1.x (MIT) does the
 * parsing; we only fold its device types into four buckets. It reports no device type for desktops,
 * so a missing type on a desktop OS means "desktop"; consoles, TVs, wearables and unknowns are "other".
 * An iPad in desktop mode sends a Mac UA and is counted as a desktop: the UA cannot tell.
 */
import { UAParser } from "ua-parser-js";
import { BoundedCache } from "./lru.ts";

export type DeviceKind = "mobile" | "tablet" | "desktop" | "other";

export interface DeviceInfo {
  device: DeviceKind;
  browser: string | null;
  os: string | null;
}

const DESKTOP_OS = /^(?:Windows|Mac OS|macOS|Linux|Ubuntu|Debian|Fedora|Mint|Arch|Gentoo|SUSE|openSUSE|Red Hat|CentOS|Chrome OS|Chromium OS|FreeBSD|OpenBSD|NetBSD|Solaris)/i;
const MOBILE_OS = /^(?:iOS|Android|HarmonyOS|KaiOS|Windows Phone|BlackBerry|Symbian)/i;

/** ua-parser is fast but not free; the same few hundred UAs make up most traffic. */
const cache = new BoundedCache<string, DeviceInfo>(2_000);

function parse(ua: string): DeviceInfo {
  const result = new UAParser(ua).getResult();
  const os = result.os.name ?? null;
  const browser = result.browser.name ?? null;
  const type = result.device.type;
  let device: DeviceKind;
  if (type === "mobile") device = "mobile";
  else if (type === "tablet") device = "tablet";
  else if (type !== undefined) device = "other";
  else if (os && DESKTOP_OS.test(os)) device = "desktop";
  else if (os && MOBILE_OS.test(os)) device = "mobile";
  else device = "other";
  return { device, browser, os };
}

export function parseDevice(ua: string | null | undefined): DeviceInfo {
  if (typeof ua !== "string" || ua.trim() === "") return { device: "other", browser: null, os: null };
  // Very long UAs are junk or attacks; parse a bounded prefix and do not cache it.
  if (ua.length > 1024) return parse(ua.slice(0, 1024));
  return { ...cache.getOrCompute(ua, parse) };
}
