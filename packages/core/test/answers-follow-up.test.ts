import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../src/answers/free-text.ts";
import { refineWithFollowUp } from "../src/answers/follow-up.ts";

const social = { channel: "social", source: null };
const refine = (option: { channel: string; source: string | null }, text: string) => refineWithFollowUp(option, classifyAnswer(text));

describe("refineWithFollowUp", () => {
  it("private sharing revealed by the follow-up wins over the nearest option", () => {
    expect(refine(social, "a friend sent it to me on whatsapp")).toMatchObject({ channel: "messaging", source: "whatsapp" });
    expect(refine(social, "a friend sent it to me on whatsapp").rule).toMatch(/^follow_up:/);
    expect(refine({ channel: "email", source: null }, "my mom forwarded me an email")).toMatchObject({ channel: "personal_email" });
  });

  it("an app within the option's channel becomes its source", () => {
    expect(refine(social, "TikTok")).toMatchObject({ channel: "social", source: "tiktok", confidence: 1 });
    expect(refine(social, "TikTok").rule).toMatch(/^option\+follow_up:/);
  });

  it("unplaceable text or another public channel leaves the option alone", () => {
    for (const text of ["no idea", "asdf qwer", "google"]) expect(refine(social, text), text).toEqual({ channel: "social", source: null, confidence: 1, rule: "option" });
    // An option that names its source keeps it.
    expect(refine({ channel: "social", source: "linkedin" }, "instagram")).toEqual({ channel: "social", source: "linkedin", confidence: 1, rule: "option" });
  });

  it("a dark option is made more specific by a dark follow-up that names the app", () => {
    expect(refine({ channel: "word_of_mouth", source: null }, "he sent it on slack")).toMatchObject({ channel: "workchat", source: "slack" });
    expect(refine({ channel: "word_of_mouth", source: null }, "a colleague")).toMatchObject({ channel: "word_of_mouth", source: "colleague" });
    // A dark option that already names its app is not second-guessed by a follow-up without one.
    expect(refine({ channel: "messaging", source: "whatsapp" }, "my friends")).toMatchObject({ channel: "messaging", source: "whatsapp", rule: "option" });
  });
});
