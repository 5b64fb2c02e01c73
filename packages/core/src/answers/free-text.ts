import type { ChannelKey, Classification } from "../channels.ts";
import type { EntityDef, Family } from "./lexicon.ts";
import { findHits, type Hit, MAX_TOKENS } from "./match.ts";
import { normalizeAnswer } from "./normalize.ts";

export type AnswerChannel = ChannelKey | "unclassified";

/**
 * The channel a free-text answer points at. `rule` names what decided it ("manual_label",
 * "brand:whatsapp", "fuzzy:instagram", "person", "medium_over_person", "keyword:podcast", ...)
 * so an admin can see why; `confidence` is 1 for a manual label and 0 for `unclassified`.
 */
export interface AnswerClassification {
  channel: AnswerChannel;
  source: string | null;
  confidence: number;
  rule: string;
}

export interface ClassifyAnswerOptions {
  /** Manual labels keyed by `normalizeAnswer(text)`; a label wins over every rule. */
  labels?: ReadonlyMap<string, Classification>;
}

/** Characters of the normalised answer the rules read (the manual label uses the whole text). */
const MAX_RULE_CHARS = 4_000;

/**
 * When several channels are named, the one that carried the news wins. Private carriers come first
 * (a link "on LinkedIn, then a colleague sent it on Slack" reached them through Slack), then places
 * where people hear about things, then public feeds; search comes last because people mostly search
 * for something they have already heard of.
 */
const PRIORITY: readonly ChannelKey[] = [
  "messaging",
  "workchat",
  "community",
  "personal_email",
  "ai_assistant",
  "podcast",
  "events",
  "offline",
  "paid_social",
  "paid_search",
  "social",
  "email",
  "referral",
  "organic_search",
  "word_of_mouth",
  "direct",
];

/** Entities that carry a private message themselves. */
const CARRIERS: ReadonlySet<Family> = new Set(["messaging_app", "workchat_app", "messaging_generic"]);

const CONFIDENCE = {
  fuzzy: 0.7,
  combined: 0.9, // a platform plus a modifier: "ad on facebook", "instagram dm", "facebook group"
  forward: 0.9,
  personEmail: 0.85,
  wordOfMouth: 0.95,
  person: 0.85,
  personOverSearch: 0.8,
  recommendation: 0.7,
  dmAlone: 0.75,
  messageAlone: 0.7,
  adOnline: 0.6,
  groupAlone: 0.6,
  /** Multiplier when other channels were named too. */
  mixed: 0.85,
  /** Multiplier when the answer also says "I don't remember" / "not sure". */
  hedged: 0.8,
} as const;

export function classifyAnswer(text: string, opts: ClassifyAnswerOptions = {}): AnswerClassification {
  const key = normalizeAnswer(typeof text === "string" ? text : "");
  if (key && opts.labels) {
    const label = opts.labels.get(key);
    if (label) return { channel: label.channel, source: label.source ?? null, confidence: 1, rule: "manual_label" };
  }
  if (!key) return unclassified("empty");
  const tokens = key.slice(0, MAX_RULE_CHARS).split(" ").slice(0, MAX_TOKENS);
  return decide(findHits(tokens));
}

function unclassified(rule: string): AnswerClassification {
  return { channel: "unclassified", source: null, confidence: 0, rule };
}

interface Candidate {
  channel: ChannelKey;
  source: string | null;
  confidence: number;
  rule: string;
  family: Family | "derived";
}

function decide(allHits: readonly Hit[]): AnswerClassification {
  const hits = dropNegated(allHits);
  const has = (kind: Hit["signal"]["kind"]) => hits.some((h) => h.signal.kind === kind);
  const personHits = hits.filter((h) => h.signal.kind === "person" || h.signal.kind === "word_of_mouth");
  const personSources = personHits.flatMap((h) => (h.signal.kind === "person" ? [h.signal.source] : []));
  const person = personHits.length > 0;
  // "My frieend", "word of mouht": a person known only through a corrected typo is as sure as a
  // corrected brand.
  const personTypo = personHits.length > 0 && personHits.every((h) => h.fuzzy !== null) ? personHits[0]!.fuzzy : null;
  const hedged = has("dont_remember") || has("dont_know");
  const entities = hits.flatMap((h) => (h.signal.kind === "entity" ? [{ entity: h.signal.entity, fuzzy: h.fuzzy }] : []));
  const carriedByApp = entities.some(({ entity }) => CARRIERS.has(entity.family));
  // "A linkedin message" is a direct message; a message posted in a group, or an ad's ("sponsored
  // message"), is not.
  const message = has("message") && !has("group") && !has("ad");
  const mods = {
    ad: has("ad"),
    group: has("group"),
    // A direct message belongs to the messaging app when one is named ("saw it on LinkedIn, then a
    // colleague sent it on Slack"); "sent me" only makes a public platform private when a person sent it.
    dm: !carriedByApp && (has("dm") || message || (has("sent") && person)),
  };

  let candidates = entities.map(({ entity, fuzzy }) => candidateFor(entity, fuzzy, mods));
  if (has("forward") && !carriedByApp) {
    // A forwarded newsletter reached them through the person who forwarded it.
    candidates = candidates.filter((c) => c.channel !== "email");
    const confidence = onlyTypos(hits, "forward") ? CONFIDENCE.fuzzy : CONFIDENCE.forward;
    candidates.push({ channel: "personal_email", source: null, confidence, rule: "keyword:forward", family: "derived" });
  } else if (person && candidates.some((c) => c.family === "email")) {
    // "My boss emailed me": an email from a person is a forwarded/personal email, not a campaign.
    candidates = candidates.filter((c) => c.family !== "email");
    const confidence = personTypo ? CONFIDENCE.fuzzy : CONFIDENCE.personEmail;
    candidates.push({ channel: "personal_email", source: null, confidence, rule: "person_email", family: "derived" });
  }
  if (candidates.length === 0) {
    if (mods.ad && has("online")) {
      // The taxonomy has no display channel; paid non-search media is counted as paid social.
      candidates.push({ channel: "paid_social", source: null, confidence: CONFIDENCE.adOnline, rule: "ad:online", family: "derived" });
    } else if (mods.dm && has("dm")) {
      const confidence = onlyTypos(hits, "dm") ? CONFIDENCE.fuzzy : CONFIDENCE.dmAlone;
      candidates.push({ channel: "messaging", source: null, confidence, rule: "keyword:dm", family: "derived" });
    } else if (mods.dm && message && person) {
      // Without a platform, "a message" is a channel only from a person ("mensagem de um amigo"): "the
      // message resonated" is not.
      candidates.push({ channel: "messaging", source: null, confidence: CONFIDENCE.messageAlone, rule: "keyword:message", family: "derived" });
    } else if (mods.group) {
      candidates.push({ channel: "community", source: null, confidence: CONFIDENCE.groupAlone, rule: "keyword:group", family: "derived" });
    }
  }

  const result =
    candidates.length > 0 ? pickChannel(candidates, person, personSources, personTypo) : fromPeople(hits, person, personSources, personTypo);
  if (result.channel === "unclassified") {
    if (has("dont_remember")) return unclassified("dont_remember");
    if (has("dont_know")) return unclassified("dont_know");
    if (mods.ad) return unclassified("ad_without_platform");
    if (has("online") || has("vague")) return unclassified("too_vague");
    return result;
  }
  return hedged ? { ...result, confidence: round(result.confidence * CONFIDENCE.hedged) } : result;
}

/** Whether every phrase of this kind was read from a typo ("mesage" for "message"). */
function onlyTypos(hits: readonly Hit[], kind: Hit["signal"]["kind"]): boolean {
  const of = hits.filter((h) => h.signal.kind === kind);
  return of.length > 0 && of.every((h) => h.fuzzy !== null);
}

/** A negation ("not", "nicht", "pas") cancels the signal right after it ("not google but a friend"). */
function dropNegated(hits: readonly Hit[]): Hit[] {
  const out: Hit[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    if (hit.signal.kind !== "negation") {
      out.push(hit);
      continue;
    }
    const next = hits[i + 1];
    if (next && next.start - hit.end <= 2 && next.signal.kind !== "negation") i += 1;
  }
  return out;
}

function candidateFor(entity: EntityDef, fuzzy: string | null, mods: { ad: boolean; group: boolean; dm: boolean }): Candidate {
  const base = fuzzy ? CONFIDENCE.fuzzy : entity.confidence;
  const rule = fuzzy ? `fuzzy:${fuzzy}` : entity.rule;
  const combined = Math.min(base, CONFIDENCE.combined);
  const tag = entity.source ?? (entity.family === "social_generic" ? "social_media" : "search");
  const derived = (channel: ChannelKey, prefix: string): Candidate => ({
    channel,
    source: entity.source,
    confidence: combined,
    rule: `${prefix}:${tag}`,
    family: entity.family,
  });
  switch (entity.family) {
    case "social_platform":
    case "social_generic":
      if (mods.ad) return derived("paid_social", "ad");
      if (mods.dm) return derived("messaging", "dm");
      if (mods.group) return derived("community", "group");
      break;
    case "search_engine":
    case "search_generic":
      if (mods.ad) return derived("paid_search", "ad");
      break;
    default:
      break;
  }
  return { channel: entity.channel, source: entity.source, confidence: base, rule, family: entity.family };
}

const PERSON_OVER = { organic_search: "person_over_search", referral: "person_over_website", direct: "person_over_known_before" } as const;

function pickChannel(
  candidates: readonly Candidate[],
  person: boolean,
  personSources: readonly (string | null)[],
  personTypo: string | null,
): AnswerClassification {
  const rank = (c: Candidate) => PRIORITY.indexOf(c.channel);
  const channel = candidates.reduce((best, c) => (rank(c) < rank(best) ? c : best)).channel;
  const same = candidates.filter((c) => c.channel === channel);
  const best = same.reduce((a, c) => (c.confidence > a.confidence ? c : a));
  const several = new Set(candidates.map((c) => c.channel)).size > 1;
  let confidence = several ? best.confidence * CONFIDENCE.mixed : best.confidence;

  if (person && (channel === "organic_search" || channel === "referral" || channel === "direct")) {
    // Searching for something a friend mentioned, or reading an article a colleague sent, is still
    // word of mouth: the search engine or website was the way in, not the reason. So is knowing the
    // brand already because a friend uses it.
    return {
      channel: "word_of_mouth",
      source: onlySource(personSources),
      confidence: personTypo ? CONFIDENCE.fuzzy : CONFIDENCE.personOverSearch,
      rule: PERSON_OVER[channel],
    };
  }
  let rule = best.rule;
  if (person) {
    // The medium beats the person: "a colleague sent it on Slack" is Slack. The medium is what a
    // marketer can act on, and it is the more specific (and, for dark channels, the darker) fact.
    rule = "medium_over_person";
    confidence = Math.min(confidence, CONFIDENCE.combined);
  }
  return { channel, source: onlySource(same.map((c) => c.source)), confidence: round(confidence), rule };
}

function fromPeople(
  hits: readonly Hit[],
  person: boolean,
  personSources: readonly (string | null)[],
  personTypo: string | null,
): AnswerClassification {
  const source = onlySource(personSources);
  if (personTypo) return { channel: "word_of_mouth", source, confidence: CONFIDENCE.fuzzy, rule: `fuzzy:${personTypo}` };
  if (hits.some((h) => h.signal.kind === "word_of_mouth")) {
    return { channel: "word_of_mouth", source, confidence: CONFIDENCE.wordOfMouth, rule: "keyword:word_of_mouth" };
  }
  if (person) return { channel: "word_of_mouth", source, confidence: CONFIDENCE.person, rule: "person" };
  if (hits.some((h) => h.signal.kind === "recommendation")) {
    return { channel: "word_of_mouth", source: null, confidence: CONFIDENCE.recommendation, rule: "recommendation" };
  }
  return unclassified("no_match");
}

/** The one source named, or null when none or several different ones were named. */
function onlySource(sources: readonly (string | null)[]): string | null {
  const named = new Set(sources.filter((s): s is string => s !== null));
  return named.size === 1 ? [...named][0]! : null;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
