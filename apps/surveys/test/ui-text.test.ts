import { describe, expect, it } from "vitest";
import { textDirection, uiText } from "../src/ui-text.ts";

describe("uiText", () => {
  it("picks the language of a locale and falls back to English", () => {
    expect(uiText("de-AT").submit).toBe(uiText("de").submit);
    expect(uiText("xx").submit).toBe(uiText("en").submit);
  });

  it("never hands back Object.prototype's members for a locale named like them", () => {
    for (const locale of ["constructor", "__proto__", "toString", "hasOwnProperty-XX"]) {
      expect(uiText(locale), locale).toEqual(uiText("en"));
    }
    expect(textDirection("constructor")).toBe("ltr");
  });
});
