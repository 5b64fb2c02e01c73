import { randomFillSync } from "node:crypto";

/**
 * Random ids (base64url of 12 random bytes, 16 characters, no ':' so they can be BullMQ job ids).
 * Bytes come from a pool refilled 4 KiB at a time: one crypto call per ~340 ids on the redirect path.
 */
const POOL = Buffer.allocUnsafe(4096);
let offset = POOL.length;

export function newId(bytes = 12): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const id = POOL.toString("base64url", offset, offset + bytes);
  offset += bytes;
  return id;
}
