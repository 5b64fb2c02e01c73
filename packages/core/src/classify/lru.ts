/**
 * A small bounded cache for classification results (pure functions of their input, so caching them
 * is safe); the bound keeps a flood of unique user agents or referrers from growing memory without
 * limit.
 *
 * Two generations instead of a strict LRU: new entries go into the young map; when it holds half the
 * bound it becomes the old map and the previous old one is dropped. A hit in the young map is one
 * Map lookup (the redirect's user-agent check runs on every click, and moving an entry to the end of
 * one Map on every hit cost as much as the visitor hash); a hit in the old map promotes the entry. So
 * anything used since the last turnover survives it, and at most `max` entries are held.
 */
export class BoundedCache<K, V> {
  readonly #half: number;
  #young = new Map<K, V>();
  #old = new Map<K, V>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 2) throw new RangeError("BoundedCache size must be an integer of at least 2");
    this.#half = Math.floor(max / 2);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.#put(key, old);
    }
    return old;
  }

  set(key: K, value: V): void {
    if (this.#young.has(key)) this.#young.set(key, value);
    else {
      this.#old.delete(key);
      this.#put(key, value);
    }
  }

  /** Returns the cached value for `key`, computing and storing it on a miss. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  #put(key: K, value: V): void {
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }
}
