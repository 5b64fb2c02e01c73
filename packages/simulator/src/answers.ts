import type { ChannelKey, SurveyLocale } from "@lantern/core";
import type { Random } from "./random.ts";

/**
 * What a buyer types into "Other (please say)", in five languages, the way people type it: brand names,
 * nicknames ("zap", "insta"), whole sentences, sometimes with a typo. The texts are written for people,
 * not for Lantern's classifier: some it will place, some it will not, as in real life.
 */

type Phrases = Partial<Record<SurveyLocale, readonly string[]>> & { en: readonly string[] };

/** By the source (app) the buyer names. */
const BY_SOURCE: Record<string, Phrases> = {
  whatsapp: {
    en: ["whatsapp", "WhatsApp", "a friend sent it on whatsapp", "family whatsapp group", "my sister shared it on WhatsApp", "whatsapp from a friend"],
    es: ["whatsapp", "me lo pasaron por whatsapp", "un grupo de whatsapp", "mi prima por WhatsApp"],
    de: ["WhatsApp", "über WhatsApp von einer Freundin", "WhatsApp-Gruppe", "hat mir jemand per whatsapp geschickt"],
    fr: ["whatsapp", "un ami me l'a envoyé sur whatsapp", "groupe whatsapp", "par whatsapp"],
    pt: ["zap", "whatsapp", "me mandaram no whatsapp", "grupo do zap", "um amigo mandou no WhatsApp"],
  },
  imessage: {
    en: ["imessage", "my friend texted me the link", "a text from my brother", "iMessage", "someone texted it to me"],
    es: ["por imessage", "me lo mandaron por mensaje"],
    de: ["iMessage", "per SMS von einem Freund"],
    fr: ["imessage", "un texto d'une amie"],
    pt: ["imessage", "mensagem de um amigo"],
  },
  sms: {
    en: ["text message", "sms", "a friend texted me"],
    es: ["sms", "mensaje de texto"],
    de: ["SMS", "per SMS"],
    fr: ["sms", "texto"],
    pt: ["sms", "mensagem de texto"],
  },
  telegram: {
    en: ["telegram", "a telegram channel", "Telegram group"],
    es: ["telegram", "un canal de telegram"],
    de: ["Telegram", "Telegram-Gruppe"],
    fr: ["telegram", "un groupe telegram"],
    pt: ["telegram", "grupo do telegram"],
  },
  messenger: {
    en: ["messenger", "facebook messenger", "a friend sent it on messenger"],
    es: ["messenger", "por messenger"],
    de: ["Messenger", "Facebook Messenger"],
    fr: ["messenger", "par messenger"],
    pt: ["messenger", "pelo messenger"],
  },
  signal: { en: ["signal", "a friend on signal"], de: ["Signal"], fr: ["signal"], es: ["signal"], pt: ["signal"] },
  instagram: {
    en: ["instagram", "insta", "saw it on instagram", "an instagram post", "IG"],
    es: ["instagram", "lo vi en instagram", "insta"],
    de: ["Instagram", "auf Insta gesehen"],
    fr: ["instagram", "vu sur insta"],
    pt: ["instagram", "vi no insta", "insta"],
  },
  instagram_dm: {
    en: ["instagram dm", "a friend sent it to me on instagram", "insta DM"],
    es: ["me lo mandaron por dm en instagram"],
    de: ["Instagram DM"],
    fr: ["dm instagram"],
    pt: ["direct do instagram", "me mandaram no direct"],
  },
  facebook: {
    en: ["facebook", "saw it on facebook", "fb"],
    es: ["facebook", "lo vi en facebook"],
    de: ["Facebook"],
    fr: ["facebook", "vu sur facebook"],
    pt: ["facebook", "vi no face"],
  },
  facebook_group: {
    en: ["a facebook group", "facebook group for parents", "fb group"],
    es: ["un grupo de facebook"],
    de: ["eine Facebook-Gruppe"],
    fr: ["un groupe facebook"],
    pt: ["um grupo no facebook"],
  },
  linkedin_dm: {
    en: ["someone messaged me on linkedin", "a linkedin message", "linkedin DM from a colleague"],
    es: ["un mensaje en linkedin"],
    de: ["LinkedIn-Nachricht von einem Kollegen"],
    fr: ["un message linkedin"],
    pt: ["mensagem no linkedin"],
  },
  linkedin: {
    en: ["linkedin", "a linkedin post", "saw it on LinkedIn", "linkedin feed"],
    es: ["linkedin", "una publicación en linkedin"],
    de: ["LinkedIn", "LinkedIn-Beitrag"],
    fr: ["linkedin", "un post linkedin"],
    pt: ["linkedin", "um post no linkedin"],
  },
  x: { en: ["twitter", "x", "a tweet"], es: ["twitter"], de: ["Twitter"], fr: ["twitter"], pt: ["twitter"] },
  reddit: { en: ["reddit", "a reddit thread", "r/selfhosted"], es: ["reddit"], de: ["Reddit"], fr: ["reddit"], pt: ["reddit"] },
  tiktok: { en: ["tiktok", "a tiktok video", "tik tok"], es: ["tiktok"], de: ["TikTok"], fr: ["tiktok"], pt: ["tiktok"] },
  youtube: { en: ["youtube", "a youtube video", "youtube review"], es: ["youtube"], de: ["YouTube"], fr: ["youtube"], pt: ["youtube"] },
  slack: {
    en: ["slack", "a colleague posted it in slack", "our team slack", "a slack community", "someone shared it on slack"],
    es: ["slack", "un compañero lo compartió en slack"],
    de: ["Slack", "ein Kollege hat es in Slack gepostet"],
    fr: ["slack", "un collègue l'a partagé sur slack"],
    pt: ["slack", "um colega mandou no slack"],
  },
  teams: {
    en: ["teams", "microsoft teams", "my manager shared it in teams"],
    es: ["teams", "por teams"],
    de: ["Teams", "über Microsoft Teams"],
    fr: ["teams", "sur teams"],
    pt: ["teams"],
  },
  discord: { en: ["discord", "a discord server", "discord community"], es: ["discord"], de: ["Discord"], fr: ["discord"], pt: ["discord"] },
  gmail: {
    en: ["my mom forwarded me an email", "a friend emailed me the link", "forwarded email", "email from a colleague"],
    es: ["me reenviaron un correo", "un amigo me lo mandó por correo"],
    de: ["weitergeleitete E-Mail", "ein Kollege hat mir eine Mail geschickt"],
    fr: ["un ami m'a transféré un mail", "mail transféré"],
    pt: ["um amigo me mandou por email", "email encaminhado"],
  },
  newsletter: {
    en: ["your newsletter", "newsletter", "an email from you"],
    es: ["el boletín", "newsletter"],
    de: ["Newsletter"],
    fr: ["la newsletter"],
    pt: ["newsletter"],
  },
  google: {
    en: ["google", "googled it", "google search", "searched online"],
    es: ["google", "busqué en google"],
    de: ["Google", "gegoogelt"],
    fr: ["google", "recherche google"],
    pt: ["google", "pesquisei no google"],
  },
  bing: { en: ["bing"], es: ["bing"], de: ["Bing"], fr: ["bing"], pt: ["bing"] },
  chatgpt: {
    en: ["chatgpt", "chatgpt recommended it", "asked chat gpt", "an AI told me"],
    es: ["chatgpt", "me lo recomendó chatgpt"],
    de: ["ChatGPT", "ChatGPT hat es empfohlen"],
    fr: ["chatgpt", "recommandé par chatgpt"],
    pt: ["chatgpt", "o chatgpt indicou"],
  },
  perplexity: { en: ["perplexity"], es: ["perplexity"], de: ["Perplexity"], fr: ["perplexity"], pt: ["perplexity"] },
  blog: {
    en: ["a blog post", "an article", "a review site", "read about you in a blog"],
    es: ["un blog", "un artículo"],
    de: ["ein Blogartikel", "ein Testbericht"],
    fr: ["un article de blog"],
    pt: ["um blog", "um artigo"],
  },
  podcast: {
    en: ["heard on a podcast", "podcast", "a podcast ad", "the podcast I listen to"],
    es: ["un podcast", "lo escuché en un podcast"],
    de: ["ein Podcast", "im Podcast gehört"],
    fr: ["un podcast", "entendu dans un podcast"],
    pt: ["um podcast", "ouvi num podcast"],
  },
  conference: {
    en: ["a conference", "met you at a meetup", "trade show", "your talk at a conference"],
    es: ["una conferencia", "un evento"],
    de: ["eine Konferenz", "Messe"],
    fr: ["un salon", "une conférence"],
    pt: ["uma feira", "um evento"],
  },
  tv: {
    en: ["saw an ad on tv", "billboard", "radio ad", "a magazine"],
    es: ["anuncio en la tele", "la radio"],
    de: ["Fernsehwerbung", "Plakat"],
    fr: ["pub à la télé", "une affiche"],
    pt: ["propaganda na tv", "outdoor"],
  },
  word_of_mouth: {
    en: ["a friend told me", "my friend", "word of mouth", "a colleague recommended you", "my brother", "recommendation from a coworker", "my freind told me"],
    es: ["un amigo", "me lo recomendó una amiga", "boca a boca", "un compañero de trabajo"],
    de: ["ein Freund", "Empfehlung von einem Kollegen", "Mundpropaganda", "meine Schwester"],
    fr: ["un ami", "bouche à oreille", "une collègue m'en a parlé"],
    pt: ["um amigo", "indicação de amigo", "boca a boca", "minha irmã me falou"],
  },
  direct: {
    en: ["I already knew you", "been a customer for years", "don't know", "just found it"],
    es: ["ya los conocía", "no sé"],
    de: ["kannte euch schon", "weiß nicht"],
    fr: ["je vous connaissais déjà", "je ne sais pas"],
    pt: ["já conhecia", "não sei"],
  },
};

/** What a buyer who really found the site by searching writes under "What made you search for us?": a need, no channel. */
const SEARCH_REASONS: Phrases = {
  en: ["I needed one", "was looking for a better price", "needed it for work", "comparing options", "looking for a gift", "my old one broke"],
  es: ["necesitaba uno", "buscaba un mejor precio", "lo necesitaba para el trabajo", "buscaba un regalo"],
  de: ["brauchte eins", "suchte einen besseren Preis", "für die Arbeit gebraucht", "suchte ein Geschenk"],
  fr: ["j'en avais besoin", "je cherchais un meilleur prix", "pour le travail", "je cherchais un cadeau"],
  pt: ["precisava de um", "procurando um preço melhor", "precisava para o trabalho", "procurando um presente"],
};

/** Fallback by channel when the source has no phrases of its own. */
const BY_CHANNEL: Partial<Record<ChannelKey, string>> = {
  organic_search: "google",
  paid_search: "google",
  social: "instagram",
  paid_social: "instagram",
  email: "newsletter",
  referral: "blog",
  ai_assistant: "chatgpt",
  messaging: "whatsapp",
  workchat: "slack",
  personal_email: "gmail",
  word_of_mouth: "word_of_mouth",
  community: "facebook_group",
  podcast: "podcast",
  events: "conference",
  offline: "tv",
  direct: "direct",
};

/** Where the same app is public in one channel and private in another: its private phrases. */
const BY_CHANNEL_AND_SOURCE: Record<string, string> = {
  "messaging/linkedin": "linkedin_dm",
  "messaging/instagram": "instagram_dm",
  "community/facebook": "facebook_group",
};

function phrasesFor(source: string, channel: ChannelKey): Phrases {
  const special = BY_CHANNEL_AND_SOURCE[`${channel}/${source}`];
  return BY_SOURCE[special ?? source] ?? BY_SOURCE[BY_CHANNEL[channel] ?? "direct"]!;
}

/** A typed answer naming `source` (of `channel`) in `locale`, with a typo now and then. */
export function answerText(rng: Random, source: string, channel: ChannelKey, locale: SurveyLocale, typoChance: number): string {
  return typed(rng, phrasesFor(source, channel), locale, typoChance);
}

/**
 * What a buyer writes into the optional follow-up of the option they picked. Under "Search engine"
 * ("What made you search for us?") they write what sent them searching: their real origin, or a need
 * when searching was how they found the site. Elsewhere ("Which one?") they name what they meant.
 */
export function followUpText(
  rng: Random,
  option: ChannelKey,
  said: { channel: ChannelKey; source: string },
  truth: { channel: ChannelKey; source: string },
  locale: SurveyLocale,
  typoChance: number,
): string {
  if (option !== "organic_search") return answerText(rng, said.source, said.channel, locale, typoChance);
  if (truth.channel === "organic_search" || truth.channel === "paid_search") return typed(rng, SEARCH_REASONS, locale, typoChance);
  return answerText(rng, truth.source, truth.channel, locale, typoChance);
}

function typed(rng: Random, phrases: Phrases, locale: SurveyLocale, typoChance: number): string {
  const list = phrases[locale] ?? phrases.en;
  let text = rng.pick(list);
  if (rng.chance(typoChance)) text = withTypo(rng, text);
  // Phones capitalise the first letter; some people do not.
  if (rng.chance(0.3)) text = text.charAt(0).toUpperCase() + text.slice(1);
  return text;
}

const NEIGHBOURS: Record<string, string> = {
  a: "sq", e: "wr", i: "uo", o: "ip", u: "yi", s: "ad", t: "ry", n: "bm", r: "et", l: "k", p: "o", c: "xv", d: "sf", g: "fh", h: "gj", m: "n", k: "jl",
};

/** One typo in the longest word: a dropped, doubled, swapped or neighbouring letter. */
export function withTypo(rng: Random, text: string): string {
  const words = text.split(" ");
  let at = 0;
  for (let i = 1; i < words.length; i++) if (words[i]!.length > words[at]!.length) at = i;
  const word = words[at]!;
  if (word.length < 4) return text;
  const i = 1 + rng.int(word.length - 2);
  const kind = rng.int(4);
  let out: string;
  if (kind === 0) out = word.slice(0, i) + word.slice(i + 1);
  else if (kind === 1) out = word.slice(0, i) + word[i] + word.slice(i);
  else if (kind === 2) out = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  else {
    const near = NEIGHBOURS[word[i]!.toLowerCase()];
    out = near ? word.slice(0, i) + near[rng.int(near.length)] + word.slice(i + 1) : word.slice(0, i) + word.slice(i + 1);
  }
  words[at] = out;
  return words.join(" ");
}

/**
 * The survey option a buyer picks to say `channel`, when the survey has options for it. Some channels
 * have no option of their own and people pick the nearest one: a forwarded email reads as "A newsletter
 * or email" to some and as "A friend or colleague" to others; a private group as social media or a friend.
 */
const OPTION_CHOICES: Partial<Record<ChannelKey, readonly { channel: ChannelKey; weight: number }[]>> = {
  paid_search: [{ channel: "organic_search", weight: 1 }],
  paid_social: [{ channel: "social", weight: 1 }],
  personal_email: [
    { channel: "email", weight: 1 },
    { channel: "word_of_mouth", weight: 1 },
  ],
  community: [
    { channel: "social", weight: 1 },
    { channel: "word_of_mouth", weight: 1 },
  ],
  offline: [],
  referral: [],
  direct: [],
};

/** A private message inside a social app: many pick the option that names the app ("Social media (LinkedIn, Instagram…)"). */
const OPTION_CHOICES_BY_SOURCE: Record<string, readonly { channel: ChannelKey; weight: number }[]> = {
  "messaging/linkedin": [
    { channel: "social", weight: 2 },
    { channel: "messaging", weight: 1 },
  ],
  "messaging/instagram": [
    { channel: "social", weight: 1 },
    { channel: "messaging", weight: 1 },
  ],
};

/** The option channel a buyer picks to report `channel` (of `source`), or null when they must type it. */
export function optionFor(rng: Random, channel: ChannelKey, source: string, available: ReadonlySet<ChannelKey>): ChannelKey | null {
  const listed = OPTION_CHOICES_BY_SOURCE[`${channel}/${source}`] ?? OPTION_CHOICES[channel] ?? [{ channel, weight: 1 }];
  const choices = listed.filter((c) => available.has(c.channel));
  if (choices.length === 0) return null;
  return rng.weighted(choices.map((c) => ({ value: c.channel, weight: c.weight })));
}
