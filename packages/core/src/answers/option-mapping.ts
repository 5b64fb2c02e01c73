import type { Classification } from "../channels.ts";
import { classifyAnswer } from "./free-text.ts";
import { normalizeAnswer } from "./normalize.ts";

/**
 * Words that make an option cover a whole channel rather than one app: "ChatGPT or another AI",
 * "WhatsApp u otra app de mensajería", "A newsletter or email", "Google, Bing etc.".
 */
const ALTERNATIVES = new Set([
  "or", "o", "u", "oder", "ou",
  "other", "another", "others", "etc", "similar", "otra", "otro", "otras", "otros", "autre", "autres", "andere", "anderen",
  "anderer", "anderes", "outra", "outro", "outras", "outros", "usw",
]);

/**
 * The channel (and source) an answer option stands for, suggested when a survey is written:
 * "WhatsApp group" -> messaging/whatsapp, "A friend or colleague" -> word_of_mouth,
 * "Online ad" -> paid_social. Null when the label names no channel ("Other (please say)",
 * "I don't remember"); the admin then picks one by hand.
 *
 * It reads the label with the free-text rules, so an option and a typed answer that say the same
 * thing land in the same channel. The source is kept only when the label names a single app.
 */
export function suggestOptionClassification(label: string): Classification | null {
  const result = classifyAnswer(label);
  if (result.channel === "unclassified") return null;
  const generic = normalizeAnswer(label)
    .split(" ")
    .some((t) => ALTERNATIVES.has(t));
  return { channel: result.channel, source: generic ? null : result.source };
}
