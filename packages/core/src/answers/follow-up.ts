import { isChannelKey, isDarkChannel } from "../channels.ts";

/** An option answer as stored: the option's channel and source. */
export interface OptionAnswer {
  channel: string;
  source: string | null;
}

export interface RefinedAnswer {
  channel: string;
  source: string | null;
  confidence: number;
  rule: string;
}

const dark = (channel: string) => isChannelKey(channel) && isDarkChannel(channel);

/**
 * An option answer with what the customer typed into its follow-up question (as classifyAnswer or a
 * manual label places it; channel "unclassified" when nothing did) ("Which one?"). The
 * option is the main answer; the follow-up refines it, never contradicts it with another public
 * channel:
 * - it reveals private sharing ("Social media" → "a friend sent it to me on Instagram"): the
 *   follow-up's dark channel wins, since the option was the nearest one on the list;
 * - it names the app of a private option that names none ("A friend or colleague" → "he sent it on
 *   Slack"): the follow-up's channel and app;
 * - it names the app within the option's channel ("Social media" → "TikTok"): the option's channel
 *   with that source;
 * - anything else (unplaceable text, another public channel) leaves the option as it is.
 */
export function refineWithFollowUp(option: OptionAnswer, followUp: RefinedAnswer): RefinedAnswer {
  const asOption: RefinedAnswer = { channel: option.channel, source: option.source, confidence: 1, rule: "option" };
  if (followUp.channel === "unclassified") return asOption;
  if (dark(followUp.channel) && (!dark(option.channel) || (option.source === null && followUp.source !== null))) {
    return { channel: followUp.channel, source: followUp.source, confidence: followUp.confidence, rule: `follow_up:${followUp.rule}` };
  }
  if (followUp.channel === option.channel && option.source === null && followUp.source !== null) {
    return { channel: option.channel, source: followUp.source, confidence: 1, rule: `option+follow_up:${followUp.rule}` };
  }
  return asOption;
}
