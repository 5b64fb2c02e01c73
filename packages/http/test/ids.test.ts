import { describe, expect, it } from "vitest";
import { newId } from "../src/ids.ts";

describe("newId", () => {
  it("gives 16 base64url characters, never starting with a character a spreadsheet reads as a formula", () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-f][A-Za-z0-9_-]{15}$/);
    // 20,000 draws of 95 random bits: any repeat would mean the pool hands out the same bytes twice.
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("takes other lengths, and keeps the pool going across refills", () => {
    expect(newId(6)).toMatch(/^[A-Za-f][A-Za-z0-9_-]{7}$/);
    const seen = new Set(Array.from({ length: 1_000 }, () => newId(30)));
    expect(seen.size).toBe(1_000);
  });
});
