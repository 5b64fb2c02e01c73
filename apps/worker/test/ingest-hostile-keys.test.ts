import { schema } from "@lantern/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, linkHit, startHarness } from "./helpers.ts";

/**
 * Request-controlled strings that name Object.prototype's members ("__proto__", "constructor", ...)
 * reach the classifiers' lookup tables through utm_source, Android app referrers and user agents. A
 * batch holding them must be stored like any other: a crash would fail the whole batch every retry.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  const now = Date.now();
  await h.t.db.insert(schema.links).values({ id: "link-x", slug: "x", url: "https://shop.example/", channel: null, source: null, utm: {}, tags: [], createdAt: now, updatedAt: now });
});
afterEach(async () => h.close());

describe("hostile keys in link hits", () => {
  it("are stored as clicks with a known channel, and the batch completes", async () => {
    const keys = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    const hits = keys.flatMap((key) => [
      linkHit({ linkId: "link-x", query: { utm_source: key, utm_medium: key } }),
      linkHit({ linkId: "link-x", referer: `android-app://${key}/` }),
      linkHit({ linkId: "link-x", userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) ${key}/1.0` }),
    ]);
    const job = await h.send(hits);
    expect(await job.getState()).toBe("completed");
    const stored = await h.t.db.select().from(schema.clicks);
    expect(stored).toHaveLength(hits.length);
    for (const c of stored) expect(typeof c.channel).toBe("string");
    // An unknown campaign source is a referral from that source, as any unknown site would be.
    const fromUtm = stored.filter((c) => c.rule === "campaign");
    expect(fromUtm.map((c) => c.channel)).toEqual(keys.map(() => "referral"));
  });
});
