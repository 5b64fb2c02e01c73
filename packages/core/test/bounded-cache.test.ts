import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedCache } from "../src/classify/lru.ts";

describe("BoundedCache", () => {
  it("never holds more than its bound, whatever is stored and read", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 200 })), { maxLength: 500 }), (max, ops) => {
        const cache = new BoundedCache<number, number>(max);
        for (const [write, key] of ops) {
          if (write) cache.set(key, key * 2);
          else {
            const got = cache.get(key);
            // A hit is always the value stored for that key.
            if (got !== undefined) expect(got).toBe(key * 2);
          }
          expect(cache.size).toBeLessThanOrEqual(max);
        }
      }),
    );
  });

  it("keeps what is in use: an entry read since the last turnover survives a flood of new keys", () => {
    const cache = new BoundedCache<string, number>(10);
    cache.set("hot", 1);
    for (let i = 0; i < 1_000; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get("hot")).toBe(1);
    }
    // Cold keys from long ago are gone.
    expect(cache.get("cold-0")).toBeUndefined();
    expect(cache.get("cold-999")).toBe(999);
  });

  it("getOrCompute computes once per key while it is cached, and a set replaces the value", () => {
    const cache = new BoundedCache<string, string>(4);
    let calls = 0;
    const compute = (k: string) => {
      calls++;
      return k.toUpperCase();
    };
    expect(cache.getOrCompute("a", compute)).toBe("A");
    expect(cache.getOrCompute("a", compute)).toBe("A");
    expect(calls).toBe(1);
    cache.set("a", "z");
    expect(cache.get("a")).toBe("z");
    cache.clear();
    expect(cache.size).toBe(0);
    expect(() => new BoundedCache(1)).toThrow(RangeError);
  });
});
