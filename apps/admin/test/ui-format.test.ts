import { describe, expect, it } from "vitest";
import {
  formatCompact,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatInterval,
  formatPercent,
  formatRange,
  formatRatio,
  formatRelative,
  formatSigned,
  formatSignedPercent,
  formatValue,
  humanize,
  MISSING,
} from "../src/lib/format.ts";

describe("number formatting", () => {
  it("writes a dark share with its 95% interval and the number of answers it rests on", () => {
    expect(formatInterval({ estimate: 0.31, low: 0.27, high: 0.35 }, { n: 1204, unit: "answers" })).toBe("31% (95% CI 27–35%, n=1,204 answers)");
  });

  it("uses an en dash between the interval's ends and a thousands separator in the basis", () => {
    const text = formatInterval({ estimate: 0.4123, low: 0.3679, high: 0.4535 }, { n: 12345, unit: "answers" });
    expect(text).toBe("41% (95% CI 37–45%, n=12,345 answers)");
    expect(text).toContain("\u2013");
  });

  it("says one answer, not one answers", () => {
    expect(formatInterval({ estimate: 1, low: 0.21, high: 1 }, { n: 1, unit: "answers" })).toBe("100% (95% CI 21–100%, n=1 answer)");
  });

  it("shows a dash, never 0%, when there is no estimate, and still says what is missing", () => {
    expect(formatInterval({ estimate: null, low: null, high: null }, { n: 0, unit: "answers" })).toBe("— (n=0 answers)");
    expect(formatInterval(null)).toBe(MISSING);
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(undefined)).toBe("—");
    expect(formatPercent(Number.NaN)).toBe("—");
    expect(formatCount(null)).toBe("—");
  });

  it("leaves out the interval when it is unknown but keeps the basis", () => {
    expect(formatInterval({ estimate: 0.5, low: null, high: null }, { n: 10, unit: "conversions" })).toBe("50% (n=10 conversions)");
  });

  it("gives small percentages one decimal and large ones none", () => {
    expect(formatPercent(0.3125)).toBe("31%");
    expect(formatPercent(0.053)).toBe("5.3%");
    expect(formatPercent(0.0049)).toBe("0.5%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatRange(0.012, 0.3)).toBe("1.2–30%");
  });

  it("separates thousands and keeps one decimal on small extrapolated counts", () => {
    expect(formatCount(1204)).toBe("1,204");
    expect(formatCount(15320)).toBe("15,320");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(188.14)).toBe("188");
    expect(formatCount(12.34)).toBe("12.3");
    expect(formatCompact(15320)).toBe("15.3K");
    expect(formatCompact(9999)).toBe("9,999");
    expect(formatValue(48210.5)).toBe("48,210.5");
  });

  it("signs gaps with a plus or a true minus sign", () => {
    expect(formatSigned(188.1)).toBe("+188");
    expect(formatSigned(-99)).toBe("\u221299");
    expect(formatSigned(0)).toBe("0");
    expect(formatSignedPercent(-0.2475)).toBe("\u221225%");
    expect(formatSignedPercent(0.25)).toBe("+25%");
  });

  it("writes a rate with its numerator and denominator", () => {
    expect(formatRatio(512, 1204, "conversions")).toBe("43% (512 of 1,204 conversions)");
    expect(formatRatio(0, 0, "views")).toBe("— (0 of 0 views)");
    expect(formatRatio(null, 3, "views")).toBe("—");
  });

  it("writes days and times in UTC, like the reports", () => {
    expect(formatDate("2024-05-01")).toBe("May 1, 2024");
    expect(formatDate(Date.UTC(2024, 11, 31, 23, 59))).toBe("Dec 31, 2024");
    expect(formatDateTime(Date.UTC(2024, 4, 1, 14, 5))).toBe("May 1, 2024, 14:05 UTC");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });

  it("writes durations and relative times a person can read", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1200)).toBe("1.2 s");
    expect(formatDuration(180_000)).toBe("3 min");
    const now = Date.UTC(2024, 0, 10);
    expect(formatRelative(now - 3 * 60_000, now)).toBe("3 minutes ago");
    expect(formatRelative(now - 86_400_000, now)).toBe("1 day ago");
    expect(formatRelative(now - 5_000, now)).toBe("just now");
    expect(formatRelative(null, now)).toBe("—");
  });

  it("turns rule and reason keys into words", () => {
    expect(humanize("messaging_in_app_browser")).toBe("Messaging in app browser");
    expect(humanize("software:lcid")).toBe("Software lcid");
    expect(humanize(null)).toBe("—");
  });
});
