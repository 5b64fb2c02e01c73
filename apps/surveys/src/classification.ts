import { normalizeAnswer, suggestOptionClassification, type Classification } from "@lantern/core";

/** The channel an option label suggests ("WhatsApp group" -> messaging/whatsapp); null when it names none. */
export function suggestClassification(label: string): Classification | null {
  return label ? suggestOptionClassification(label) : null;
}

/** The key of a manual label: the same normalisation the worker uses when it looks labels up. */
export function normalizeAnswerText(text: string): string {
  return normalizeAnswer(text);
}
