import { eventBatchJob, lanternEvent, type LanternEvent, unpackEvent } from "@lantern/queue";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";

/**
 * The batch envelope, checked on its own so that one bad event does not condemn its neighbours.
 * `strings` is there when the batch is packed (see @lantern/queue batch-codec.ts); plain batches lack it.
 */
const envelope = z.object({
  batchId: eventBatchJob.shape.batchId,
  producer: eventBatchJob.shape.producer,
  strings: z.array(z.string()).max(5 * 5000).optional(),
  events: z.array(z.unknown()).min(1).max(5000),
});

export interface RejectedEvent {
  index: number;
  id: string | null;
  type: string | null;
  issues: string[];
}

export interface ParsedBatch {
  batchId: string;
  producer: string;
  events: LanternEvent[];
  rejected: RejectedEvent[];
}

function field(value: unknown, key: string): string | null {
  if (typeof value !== "object" || value === null) return null;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === "string" ? v.slice(0, 80) : null;
}

/**
 * Validates a job payload event by event; packed link hits are unpacked first, then checked by the same
 * event schema as plain ones.
 *
 * Decision: a batch mixes events from many visitors, so one malformed event must not throw away the
 * others (nor retry them forever). Good events are stored; bad ones are reported in the job's return
 * value and the log. A payload that is not a batch at all, or whose events are all bad, can never
 * succeed: it throws UnrecoverableError so BullMQ fails it at once instead of retrying.
 */
export function parseBatch(data: unknown): ParsedBatch {
  const outer = envelope.safeParse(data);
  if (!outer.success) {
    const issues = outer.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new UnrecoverableError(`malformed event batch: ${issues.join("; ")}`);
  }
  const events: LanternEvent[] = [];
  const rejected: RejectedEvent[] = [];
  const strings = outer.data.strings;
  outer.data.events.forEach((packed, index) => {
    const raw = strings ? unpackEvent(packed, strings) : packed;
    const parsed = lanternEvent.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else {
      rejected.push({
        index,
        id: field(raw, "id"),
        type: field(raw, "type"),
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
      });
    }
  });
  if (events.length === 0) {
    const first = rejected[0]?.issues.join("; ") ?? "";
    throw new UnrecoverableError(`event batch ${outer.data.batchId} has no valid event (${rejected.length} rejected; first: ${first})`);
  }
  return { batchId: outer.data.batchId, producer: outer.data.producer, events, rejected };
}
