import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_DAYS, retentionDaysOf } from "../src/index.ts";

describe("retentionDaysOf", () => {
  it("reads retentionDays of the stored privacy settings", () => {
    expect(retentionDaysOf({ honorDnt: true, honorGpc: true, retentionDays: 30 })).toBe(30);
    expect(retentionDaysOf({ retentionDays: 7 })).toBe(7);
    expect(retentionDaysOf({ retentionDays: 3650 })).toBe(3650);
  });

  it("falls back to 395 days when unset or not a valid number of days", () => {
    expect(DEFAULT_RETENTION_DAYS).toBe(395);
    for (const stored of [undefined, null, "30", {}, { retentionDays: null }, { retentionDays: "30" }, { retentionDays: 6 }, { retentionDays: 3651 }, { retentionDays: 30.5 }]) {
      expect(retentionDaysOf(stored)).toBe(DEFAULT_RETENTION_DAYS);
    }
  });
});
