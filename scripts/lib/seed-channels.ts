import { DEFAULT_CHANNELS } from "@lantern/core/channels";
import type { Db } from "@lantern/db";
import { channels } from "@lantern/db/schema";

/** Seeds the editable channel taxonomy with the defaults; never overwrites an admin's edits. */
export async function seedChannels(db: Db): Promise<void> {
  await db
    .insert(channels)
    .values(DEFAULT_CHANNELS.map((c) => ({ key: c.key, label: c.label, group: c.group, dark: c.dark })))
    .onConflictDoNothing();
}
