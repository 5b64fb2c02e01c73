import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clickLocation, destinationProblem, redirectTarget, shortHostsOf } from "../src/links/destination.ts";
import { GENERATED_ALPHABET, generateSlug, RESERVED_SLUGS, slugProblem } from "../src/links/slug.ts";
import { defaultUtm, rederiveUtm, resolveUtm } from "../src/links/utm.ts";

describe("merging UTMs and lcid into a destination", () => {
  it("keeps every parameter and the fragment of any destination, and adds lcid exactly once", () => {
    const key = fc.stringMatching(/^[a-z_]{1,8}$/).filter((k) => k !== "lcid" && !k.startsWith("utm_"));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 12 })), { maxLength: 6 }), fc.option(fc.stringMatching(/^[a-z0-9-]{1,10}$/)), fc.option(fc.constantFrom("whatsapp", "slack")), (pairs, fragment, source) => {
        const url = new URL("https://example.com/path");
        for (const [k, v] of pairs) url.searchParams.append(k, v);
        if (fragment) url.hash = fragment;
        const target = redirectTarget(url.href, source ? { source } : {});
        const out = new URL(clickLocation(target, "CLICK_id-123"));
        expect(out.searchParams.getAll("lcid")).toEqual(["CLICK_id-123"]);
        for (const [k] of pairs) expect(out.searchParams.getAll(k)).toEqual(url.searchParams.getAll(k));
        expect(out.hash).toBe(url.hash);
        expect(out.searchParams.get("utm_source")).toBe(source ?? null);
      }),
    );
  });

  it("drops a stale lcid from the destination and never lets incoming parameters override it", () => {
    const target = redirectTarget("https://example.com/?lcid=old&a=1", {});
    expect(clickLocation(target, "new", { lcid: "forged", b: "2" })).toBe("https://example.com/?a=1&b=2&lcid=new");
  });
});

describe("destination validation", () => {
  const short = shortHostsOf("http://localhost:3001", ["s.example"]);
  it("treats localhost, 127.0.0.1 and [::1] on the service's port as the short domain", () => {
    for (const url of ["http://localhost:3001/x", "http://127.0.0.1:3001/", "http://[::1]:3001/a", "https://s.example/x"]) expect(destinationProblem(url, short)).toMatch(/short-link domain/);
    for (const url of ["http://localhost:3000/app", "https://example.com/"]) expect(destinationProblem(url, short)).toBeNull();
  });
});

describe("slugs", () => {
  it("generated slugs use the readable alphabet and are never reserved", () => {
    for (let i = 0; i < 500; i++) {
      const slug = generateSlug();
      expect(slug).toHaveLength(7);
      expect([...slug].every((ch) => GENERATED_ALPHABET.includes(ch))).toBe(true);
      expect(slugProblem(slug)).toBeNull();
    }
    expect(GENERATED_ALPHABET).not.toMatch(/[01ilo]/);
  });

  it("every reserved single-segment path is refused whatever its case", () => {
    for (const word of RESERVED_SLUGS) if (/^[a-z0-9_-]+$/.test(word)) expect(slugProblem(word.toUpperCase())).toMatch(/reserved/);
  });
});

describe("UTMs", () => {
  it("explicit values win, false removes all, and re-deriving keeps hand-set fields", () => {
    expect(resolveUtm(defaultUtm("slack", "workchat", "q3"), { campaign: "manual" })).toEqual({ source: "slack", medium: "workchat", campaign: "manual" });
    expect(resolveUtm(defaultUtm("slack", "workchat", null), false)).toEqual({});
    const old = defaultUtm("slack", "workchat", "q3");
    expect(rederiveUtm({ ...old, campaign: "manual" }, old, defaultUtm("whatsapp", "messaging", null))).toEqual({ source: "whatsapp", medium: "messaging", campaign: "manual" });
  });
});
