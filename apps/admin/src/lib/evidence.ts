import type { DarkReason } from "@lantern/core/attribution-types";

/** Why a conversion counts as dark social, in words (the reasons of packages/core attribution/types.ts). */
const WORDS: Readonly<Record<DarkReason, string>> = {
  dark_self_report: "The buyer named a private channel",
  dark_tagged_link: "Clicked a link made for a private channel",
  messaging_in_app_browser: "Opened inside a messaging app",
  copy_paste_arrival: "Opened a copied link with no referrer",
  messaging_unfurl_before_click: "A chat app drew the preview just before the click",
  dark_referrer: "Referrer or UTM names a private channel",
};

export function evidenceInWords(reason: string): string {
  return Object.hasOwn(WORDS, reason) ? WORDS[reason as DarkReason] : reason.replace(/_/g, " ");
}

/**
 * A conversion's dark reasons in the words of the Overview's "Why conversions count as dark" card,
 * for running text: "the buyer named a private channel; clicked a link made for a private channel".
 */
export function darkReasonsInWords(reasons: readonly string[]): string {
  return reasons
    .map(evidenceInWords)
    .map((w) => w.charAt(0).toLowerCase() + w.slice(1))
    .join("; ");
}
