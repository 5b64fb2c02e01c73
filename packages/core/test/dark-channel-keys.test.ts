import { describe, expect, it } from "vitest";
import { DEFAULT_CHANNELS, darkChannelKeys } from "../src/channels.ts";

const defaults = DEFAULT_CHANNELS.filter((c) => c.dark).map((c) => c.key);

describe("darkChannelKeys: the defaults with the stored channel rows over them", () => {
  it("with nothing stored, the default dark channels", () => {
    expect([...darkChannelKeys([])].sort()).toEqual([...defaults].sort());
    expect(darkChannelKeys([]).has("messaging")).toBe(true);
  });

  it("one relabelled public channel leaves every default dark channel dark", () => {
    const dark = darkChannelKeys([{ key: "social", dark: false }]);
    expect([...dark].sort()).toEqual([...defaults].sort());
  });

  it("a stored row switches a channel either way, and a custom dark channel joins", () => {
    const dark = darkChannelKeys([
      { key: "community", dark: false },
      { key: "email", dark: true },
      { key: "signal_groups", dark: true },
    ]);
    expect(dark.has("community")).toBe(false);
    expect(dark.has("email")).toBe(true);
    expect(dark.has("signal_groups")).toBe(true);
    expect(dark.has("messaging")).toBe(true);
  });
});
