/**
 * The channel of one human click on a share link. Observed evidence first, then what the link was
 * made for, then direct. The result names the rule that decided and, in `detail`, why.
 *
 * 1. "referrer": the page or app the click came from (referrer.ts). Refinements, because the referrer is
 *    the last hop but campaign data or the app can be more specific about the same visit:
 *    a. a paid click id / paid UTM -> the paid channel (rule "campaign"): google.com + gclid is an ad click,
 *       not organic search. Not when the referrer is a messaging, work-chat or community app: then an ad URL
 *       was copied and passed on privately, and the share is what we measure;
 *    b. a webmail or mail-app referrer (personal_email) with UTMs -> email, rule "campaign"; with a link tagged
 *       as an email campaign -> email, rule "link_tag". Without either, a person forwarded it: personal_email (dark);
 *    c. Messenger's in-app browser with a Facebook/Messenger referrer (Meta's link shim) -> messaging messenger,
 *       rule "in_app": the shim is shared by the feed and the chat; the in-app token says which.
 *    Otherwise the referrer stands, even against an in-app browser: a WhatsApp web view showing an Instagram
 *    page that links to us was one hop from Instagram (the in-app app is still reported in `inApp`).
 * 2. "campaign": UTMs and click ids on the incoming request (campaign.ts). fbclid from a Meta in-app browser
 *    names that app (Instagram, Messenger, Threads also add fbclid).
 * 3. "in_app": the in-app browser's app (in-app.ts), e.g. WhatsApp's web view -> messaging whatsapp.
 *    It overrides the link's tag: a Slack-tagged link opened in WhatsApp was forwarded to WhatsApp.
 * 4. "link_tag": the channel (or, failing that, the source) the share link was created for.
 * 5. "direct": nothing known.
 *
 * A referrer under `ownHosts` (pass the short-link domain and the destination sites) or from a generic
 * shortener carries no information and is skipped; `referrerHost` still reports it.
 */
import { type ChannelKey, type Classification, channelForSource, isChannelKey, normaliseSource } from "../channels.ts";
import { type Campaign, type CampaignChannel, channelFromCampaign, hasCampaign, parseCampaign } from "./campaign.ts";
import { type DeviceKind, parseDevice } from "./device.ts";
import { hostOfEntry } from "./host.ts";
import { detectInAppBrowser, IN_APP_CHANNEL, inAppSource } from "./in-app.ts";
import { classifyReferrer, type ReferrerClassification } from "./referrer.ts";

export type ClickRule = "referrer" | "campaign" | "in_app" | "link_tag" | "direct";

export interface ClickInput {
  userAgent: string | null;
  referer: string | null;
  query: Record<string, string>;
  linkChannel: string | null;
  linkSource: string | null;
  ownHosts?: string[];
}

export interface ClickClassification extends Classification {
  rule: ClickRule;
  /** A short, human-readable reason, e.g. "referrer android-app://com.slack (android_app)". */
  detail: string;
  referrerHost: string | null;
  inApp: string | null;
  device: DeviceKind;
  browser: string | null;
  os: string | null;
  /** UTMs and click ids seen on the request, or null when there were none. */
  campaignParams: Campaign | null;
}

type Decision = Pick<ClickClassification, "channel" | "source" | "rule" | "detail">;

/** Referrers that show the link was passed on privately; a paid click id copied along does not outweigh them. */
const PRIVATE_SHARE: ReadonlySet<ChannelKey> = new Set(["messaging", "workchat", "community"]);
const PAID: ReadonlySet<ChannelKey> = new Set(["paid_search", "paid_social"]);
const META_IN_APP: ReadonlySet<string> = new Set(["instagram", "messenger", "threads", "facebook"]);

/** The channel a link was tagged with: its explicit channel, else its source through the taxonomy. */
function linkTag(linkChannel: string | null, linkSource: string | null): { channel: ChannelKey; source: string | null } | null {
  const source = typeof linkSource === "string" && linkSource.trim() !== "" ? normaliseSource(linkSource) : null;
  if (isChannelKey(linkChannel)) return { channel: linkChannel, source };
  if (source) return { channel: channelForSource(source) ?? "referral", source };
  return null;
}

function referrerHostOf(referer: string | null): string | null {
  if (typeof referer !== "string" || referer.trim() === "") return null;
  const text = referer.trim();
  if (/^android-app:\/\//i.test(text)) return text.slice("android-app://".length).split(/[/?#]/, 1)[0]?.toLowerCase() || null;
  return /^https?:\/\//i.test(text) ? hostOfEntry(text) : null;
}

function fromReferrer(
  ref: ReferrerClassification,
  camp: CampaignChannel | null,
  campaign: Campaign,
  inApp: string | null,
  tag: ReturnType<typeof linkTag>,
): Decision {
  const seen = `referrer ${ref.host} (${ref.rule})`;
  if (camp && PAID.has(camp.channel) && !PRIVATE_SHARE.has(ref.channel)) {
    return { channel: camp.channel, source: camp.source, rule: "campaign", detail: `${camp.rule} on ${seen}: a paid click` };
  }
  if (ref.channel === "personal_email") {
    const emailCampaign = Object.values(campaign.utm).some((v) => v !== null) || campaign.clickIds.mc_cid !== undefined;
    if (emailCampaign) {
      const channel = camp?.channel === "personal_email" ? "personal_email" : "email";
      return { channel, source: camp?.source ?? ref.source, rule: "campaign", detail: `${seen} with campaign parameters: a campaign email` };
    }
    if (tag?.channel === "email") {
      return { channel: "email", source: tag.source ?? ref.source, rule: "link_tag", detail: `${seen} on a link tagged as an email campaign` };
    }
  }
  if (inApp === "messenger" && (ref.source === "facebook" || ref.source === "messenger")) {
    return { channel: "messaging", source: "messenger", rule: "in_app", detail: `Messenger in-app browser behind Meta's link shim (${seen})` };
  }
  return { channel: ref.channel, source: ref.source, rule: "referrer", detail: seen };
}

function decide(input: ClickInput, ref: ReferrerClassification | null, campaign: Campaign, inApp: string | null): Decision {
  const camp = hasCampaign(campaign) ? channelFromCampaign(campaign) : null;
  const tag = linkTag(input.linkChannel, input.linkSource);

  if (ref) return fromReferrer(ref, camp, campaign, inApp, tag);

  if (camp) {
    if (camp.rule === "fbclid" && inApp && META_IN_APP.has(inApp)) {
      const channel = IN_APP_CHANNEL[inApp] ?? "social";
      return { channel, source: inApp, rule: "campaign", detail: `fbclid from the ${inApp} in-app browser` };
    }
    return { channel: camp.channel, source: camp.source, rule: "campaign", detail: camp.rule };
  }

  if (inApp) {
    const channel = IN_APP_CHANNEL[inApp];
    if (channel) return { channel, source: inAppSource(inApp), rule: "in_app", detail: `${inApp} in-app browser` };
  }

  if (tag) return { channel: tag.channel, source: tag.source, rule: "link_tag", detail: "the channel the link was made for" };

  return { channel: "direct", source: null, rule: "direct", detail: "no referrer, campaign, in-app browser or link tag" };
}

export function classifyClick(input: ClickInput): ClickClassification {
  const ua = typeof input.userAgent === "string" ? input.userAgent : null;
  const campaign = parseCampaign(input.query);
  const inApp = detectInAppBrowser(ua);
  const ref = classifyReferrer(input.referer, { ownHosts: input.ownHosts });
  const decision = decide(input, ref, campaign, inApp);
  const { device, browser, os } = parseDevice(ua);
  return {
    ...decision,
    referrerHost: ref?.host ?? referrerHostOf(input.referer),
    inApp,
    device,
    browser,
    os,
    campaignParams: hasCampaign(campaign) ? campaign : null,
  };
}
