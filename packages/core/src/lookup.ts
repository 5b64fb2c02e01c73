/**
 * A frozen lookup table without a prototype. Keys looked up in classification tables come from requests
 * (user agents, referrers, utm_source), and on a plain object "__proto__", "constructor" or "toString"
 * would find Object.prototype's members instead of nothing.
 */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
