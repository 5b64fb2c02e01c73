import { randomFillSync } from "node:crypto";

/**
 * Random ids: base64url of 12 random bytes (16 characters, 95 random bits), no ':' so they can be
 * BullMQ job ids and event ids. The first byte's top bit is cleared, so an id never starts with "-"
 * (or "_", or any letter past "f"): a cell starting with "-" is a formula to a spreadsheet, and the
 * CSV exports would have to quote it.
 *
 * Bytes come from a pool refilled 4 KiB at a time: one crypto call per ~340 ids on the redirect path.
 */
const POOL = Buffer.allocUnsafe(4096);
let offset = POOL.length;

export function newId(bytes = 12): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  POOL[offset]! &= 0x7f;
  const id = POOL.toString("base64url", offset, offset + bytes);
  offset += bytes;
  return id;
}
