import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { derivedId, EXTERNAL_ID } from "../src/ids.ts";

const before = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22);

describe("derivedId", () => {
  const keys = Array.from({ length: 5_000 }, (_, i) => `key-${i}`);

  it("is stable, valid as an id, and never starts with '-'", () => {
    for (const k of keys) {
      const id = derivedId("idempotency", "survey1", k);
      expect(id).toBe(derivedId("idempotency", "survey1", k));
      expect(id).toMatch(EXTERNAL_ID);
      expect(id).toHaveLength(22);
      expect(id.startsWith("-")).toBe(false);
    }
  });

  it("keeps every id earlier releases derived, except a leading '-', which becomes '_'", () => {
    let dashed = 0;
    for (const k of keys) {
      const old = before("respondent", "survey1", k);
      const now = derivedId("respondent", "survey1", k);
      if (old.startsWith("-")) {
        dashed++;
        expect(now).toBe(`_${old.slice(1)}`);
      } else {
        expect(now).toBe(old);
      }
    }
    // About 1 in 64 of 5,000 keys: the case above is exercised.
    expect(dashed).toBeGreaterThan(30);
  });

  it("different parts give different ids", () => {
    expect(new Set(keys.map((k) => derivedId("idempotency", "survey1", k))).size).toBe(keys.length);
    expect(derivedId("a", "bc")).not.toBe(derivedId("ab", "c"));
  });
});
