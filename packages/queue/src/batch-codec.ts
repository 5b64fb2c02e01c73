import type { LanternEvent, LinkHitEvent } from "./events.ts";

/**
 * The packed wire form of an event batch, as the event buffer sends it.
 *
 * Why: link hits are nearly all of the traffic, and every hit of a batch repeats the same few strings
 * (the link id and slug of a popular link, a handful of user agents and referrers). As objects, a batch
 * of 500 hits is ~200 KB of JSON, mostly those repeats and the key names; the producer's JSON encoding,
 * the copy into Redis, Redis' own work on the job and the worker's parse all grow with it, and on a
 * small machine they take their CPU from the redirect. Packed, a hit is a tuple whose repeated strings
 * are indices into one string table per batch: about a third of the bytes.
 *
 * Only link hits are packed (arrays); every other event stays an object, so the two are told apart by
 * shape. A batch without `strings` is the plain form (`EventBatchJob`), which the worker still reads:
 * other producers (the simulator) send it, and jobs or spool files written before packing hold it.
 * Upgrading a running installation: workers first (they read both forms), then the services; a worker
 * from before packing rejects packed hits as invalid events.
 * Decoding checks nothing beyond the shape: the worker validates every decoded event with the event
 * schema, and a broken tuple (a bad index, a wrong arity) decodes to a value that fails it.
 */

/**
 * [id, ts, linkId, slug, served, userAgent, referer, query, visitorHash, country, dnt]; linkId, slug,
 * served, userAgent and referer are indices into the batch's `strings` (null stays null); dnt is 0 or 1.
 */
export type PackedHit = [
  id: string,
  ts: number,
  linkId: number,
  slug: number,
  served: number,
  userAgent: number | null,
  referer: number | null,
  query: Record<string, string>,
  visitorHash: string | null,
  country: string | null,
  dnt: 0 | 1,
];

export type PackedEvent = PackedHit | Exclude<LanternEvent, LinkHitEvent>;

export interface PackedEvents {
  /** The strings the packed hits point at, each once. */
  strings: string[];
  events: PackedEvent[];
}

const HIT_ARITY = 11;

/** Packs a batch: link hits become tuples over one string table, other events are kept as they are. */
export function packEvents(events: readonly LanternEvent[]): PackedEvents {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  // Filled by push, not preallocated: a holey array sends JSON.stringify down its slow path.
  const packed: PackedEvent[] = [];
  for (const e of events) {
    packed.push(
      e.type === "link.hit"
        ? [
            e.id,
            e.ts,
            ref(e.linkId),
            ref(e.slug),
            ref(e.served),
            e.userAgent === null ? null : ref(e.userAgent),
            e.referer === null ? null : ref(e.referer),
            e.query,
            e.visitorHash,
            e.country,
            e.dnt ? 1 : 0,
          ]
        : e,
    );
  }
  return { strings, events: packed };
}

/** A string-table entry, or undefined (which the event schema rejects) for anything but a valid index. */
const lookup = (strings: readonly unknown[], ref: unknown): unknown => (typeof ref === "number" && Number.isInteger(ref) && ref >= 0 && ref < strings.length ? strings[ref] : undefined);
const nullableLookup = (strings: readonly unknown[], ref: unknown): unknown => (ref === null ? null : lookup(strings, ref));

/**
 * One event of a packed batch back in its plain form: a tuple becomes a link hit, anything else is
 * returned untouched. Not validated here (see the file comment).
 */
export function unpackEvent(raw: unknown, strings: readonly unknown[]): unknown {
  // An array of another length is returned as it is, for the event schema to reject ("expected object").
  if (!Array.isArray(raw) || raw.length !== HIT_ARITY) return raw;
  const [id, ts, linkId, slug, served, userAgent, referer, query, visitorHash, country, dnt] = raw;
  return {
    id,
    ts,
    type: "link.hit",
    linkId: lookup(strings, linkId),
    slug: lookup(strings, slug),
    served: lookup(strings, served),
    userAgent: nullableLookup(strings, userAgent),
    referer: nullableLookup(strings, referer),
    query,
    visitorHash,
    country,
    dnt: dnt === 1 ? true : dnt === 0 ? false : undefined,
  };
}

/**
 * The events of a job of either form (packed, or plain as other producers send it), as plain events,
 * NOT validated: for tests and tools that read jobs they made themselves. The worker validates.
 */
export function eventsOfBatch(batch: { strings?: readonly unknown[]; events: readonly unknown[] }): LanternEvent[] {
  const { strings } = batch;
  return (strings ? batch.events.map((e) => unpackEvent(e, strings)) : [...batch.events]) as LanternEvent[];
}
