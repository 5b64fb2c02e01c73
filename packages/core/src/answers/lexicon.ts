import type { ChannelKey } from "../channels.ts";

/**
 * The words the free-text classifier knows, as data. Phrases are written the way people type them
 * (accents allowed); they are passed through `normalizeAnswer` when the matcher is built, so
 * "collègue" here matches "Collegue", "COLLÈGUE" and "collègue!" in an answer.
 *
 * `anywhere` phrases match wherever they occur as whole words; `whole` phrases only when they are
 * the entire answer (short tokens such as "x" or "whats" are too ambiguous inside a sentence but
 * clear on their own).
 */

/** How an entity combines with the modifiers around it (ads, groups, direct messages). */
export type Family =
  | "messaging_app" // carries a private message: beats the person who sent it
  | "workchat_app"
  | "messaging_generic"
  | "social_platform" // public feed; becomes paid_social with an ad, community with a group, messaging with a DM
  | "social_generic"
  | "search_engine" // becomes paid_search with an ad
  | "search_generic"
  | "paid" // names the paid product itself ("adwords"): fixed channel
  | "ai"
  | "podcast"
  | "events"
  | "offline"
  | "email"
  | "newsletter"
  | "community"
  | "referral"
  | "known_before"; // the buyer knew the brand already: direct, unless a person or another channel is named

export interface EntityDef {
  channel: ChannelKey;
  source: string | null;
  family: Family;
  confidence: number;
  /** Rule name reported when this entity decides, e.g. "brand:whatsapp". */
  rule: string;
  anywhere: readonly string[];
  whole?: readonly string[];
  /** Single-word spellings that typos are measured against (see `fuzzy.ts`). */
  fuzzy?: readonly string[];
  /** Single-word spellings of which only keyboard slips are corrected (see `isKeyboardSlip`). */
  slips?: readonly string[];
}

const BRAND = 0.95;
const KEYWORD = 0.9;
const GENERIC = 0.8;
const WEAK = 0.7;

function brand(
  channel: ChannelKey,
  source: string,
  family: Family,
  anywhere: readonly string[],
  extra: { whole?: readonly string[]; fuzzy?: readonly string[]; slips?: readonly string[]; confidence?: number } = {},
): EntityDef {
  return {
    channel,
    source,
    family,
    confidence: extra.confidence ?? BRAND,
    rule: `brand:${source}`,
    anywhere,
    ...(extra.whole ? { whole: extra.whole } : {}),
    ...(extra.fuzzy ? { fuzzy: extra.fuzzy } : {}),
    ...(extra.slips ? { slips: extra.slips } : {}),
  };
}

function keyword(
  channel: ChannelKey,
  source: string | null,
  family: Family,
  rule: string,
  confidence: number,
  anywhere: readonly string[],
  extra: { whole?: readonly string[]; fuzzy?: readonly string[]; slips?: readonly string[] } = {},
): EntityDef {
  return { channel, source, family, confidence, rule: `keyword:${rule}`, anywhere, ...extra };
}

/** "on x", "sur x", ...: a one-letter brand only counts after a preposition. */
const onBrand = (name: string) =>
  ["on", "en", "sur", "auf", "no", "na", "via", "from", "through", "in", "im", "por", "pelo", "per"].map((p) => `${p} ${name}`);

export const ENTITIES: readonly EntityDef[] = [
  // --- Messaging apps (dark) -------------------------------------------------------------
  brand(
    "messaging",
    "whatsapp",
    "messaging_app",
    [
      "whatsapp", "whats app", "whatsap", "whatsaap", "watsapp", "watsap", "watsaap", "whatapp", "whatsup app",
      "wa", "wapp", "wpp", "zap", "zapzap", "zap zap", "zapp", "wasap", "guasap", "wasa", "wsp", "wassap", "whastapp",
      ...onBrand("whats"), "do whats", "grupo do whats",
    ],
    { whole: ["whats"], fuzzy: ["whatsapp"] },
  ),
  brand(
    "messaging",
    "messenger",
    "messaging_app",
    ["messenger", "fb messenger", "facebook messenger", "messanger", "mesenger", "messeger", "messengr"],
    { fuzzy: ["messenger"] },
  ),
  brand("messaging", "telegram", "messaging_app", ["telegram", "telegramm", "telegrama", "telegran", "telegrams"], { fuzzy: ["telegram"] }),
  brand("messaging", "signal", "messaging_app", ["signal", "signal app", "signal group"]),
  brand("messaging", "imessage", "messaging_app", ["imessage", "imessages", "i message", "imsg", "apple messages"], {
    fuzzy: ["imessage"],
  }),
  // "Texto" is a text message in French; in Spanish and Portuguese it is also a text one reads ("li um
  // texto sobre vocês"), so it counts alone, after "by" or in French "un texto d'une amie", not anywhere.
  brand("messaging", "sms", "messaging_app", [
    "sms", "text message", "text messages", "texted", "texting", "txt", "txted", "a text", "by text", "via text", "text from",
    "sent me a text", "mensaje de texto", "mensajes de texto", "textnachricht", "mensagem de texto", "torpedo",
    "por texto", "par texto", "via texto", "par textos", "un texto d",
  ], { whole: ["texto", "textos", "un texto", "um texto"] }),
  brand("messaging", "wechat", "messaging_app", ["wechat", "we chat", "weixin"]),
  brand("messaging", "line", "messaging_app", ["line app", "line messenger", "line group"]),
  brand("messaging", "viber", "messaging_app", ["viber"]),
  brand("messaging", "kakaotalk", "messaging_app", ["kakaotalk", "kakao talk", "kakao"]),
  brand("messaging", "snapchat", "messaging_app", ["snapchat", "snap chat"], { fuzzy: ["snapchat"] }),
  keyword("messaging", null, "messaging_generic", "messaging", GENERIC, [
    "group chat", "groupchat", "chat group", "messaging app", "messaging apps", "messenger app", "chat app",
    "another messaging app", "mensajeria", "app de mensajeria", "messagerie", "app de mensagens", "aplicativo de mensagens",
    "mensagens", "messengers",
  ]),

  // --- Work chat (dark) ------------------------------------------------------------------
  // Slack, Teams and Discord sit among common words (stack, snack, slick; team, terms, tears; discard,
  // French and Portuguese "discorde", "discordo"), so only keyboard slips of them are corrected.
  brand("workchat", "slack", "workchat_app", ["slack", "slack channel", "slack group", "slak", "slack workspace"], { slips: ["slack"] }),
  // "Teams" is also the plural of team ("my team's recommendation" normalises to "my teams
  // recommendation"): the app when it is the whole answer, named in full, or after a preposition.
  brand(
    "workchat",
    "teams",
    "workchat_app",
    [
      "ms teams", "microsoft teams", "msteams", "teams chat", "teams channel", "teams meeting", "teams message", "teams call",
      "teams group", "a teams", ...onBrand("teams"), "over teams", "uber teams",
    ],
    { whole: ["teams"], slips: ["teams"] },
  ),
  brand("workchat", "discord", "workchat_app", ["discord", "discord server", "dicord", "discrod", "disord", "discorf", "dscord"], {
    slips: ["discord"],
  }),
  brand("workchat", "mattermost", "workchat_app", ["mattermost"]),
  brand("workchat", "google_chat", "workchat_app", ["google chat", "gchat", "hangouts", "google hangouts"]),
  keyword("workchat", null, "workchat_app", "workchat", GENERIC, ["work chat", "company chat", "internal chat", "chat interno"]),

  // --- Social platforms (public feeds) ---------------------------------------------------
  brand(
    "social",
    "linkedin",
    "social_platform",
    ["linkedin", "linked in", "linkdin", "linkedn", "linkden", "linkedln", "linkedinn", "lnkd", "linkedin post", "linkedin com"],
    { fuzzy: ["linkedin"] },
  ),
  brand("social", "x", "social_platform", [
    "twitter", "twiter", "twitt", "tweet", "tweets", "tweeted", "x com", "twitter x", "x twitter", "x formerly twitter",
    "tuiter", "tuit", "twitters", "twitted", "twittern", "twittert", "twittere", "twittre", ...onBrand("x"),
  ], { fuzzy: ["twitter"] }),
  brand(
    "social",
    "facebook",
    "social_platform",
    ["facebook", "facebooks", "facebok", "facebbok", "fb", "fbook", "feisbuk", "face book", ...onBrand("face"), "do face", ...onBrand("meta")],
    { whole: ["face", "meta"], fuzzy: ["facebook"] },
  ),
  brand("social", "instagram", "social_platform", ["instagram", "instagrams", "insta", "ig", "instagramm", "instragram", "instagran", "intagram"], {
    fuzzy: ["instagram"],
  }),
  brand("social", "tiktok", "social_platform", ["tiktok", "tik tok", "tiktock", "tik tock", "tic toc", "tictoc", "tiktoker", "tiktokers"], {
    fuzzy: ["tiktok"],
  }),
  brand("social", "youtube", "social_platform", ["youtube", "youtubes", "you tube", "yt", "youtuber", "youtubers", "youtube video", "utube", "youtub"], {
    fuzzy: ["youtube"],
  }),
  brand("social", "reddit", "social_platform", ["reddit", "redit", "reditt", "reddit com"]),
  brand("social", "pinterest", "social_platform", ["pinterest", "pintrest"], { fuzzy: ["pinterest"] }),
  brand("social", "bluesky", "social_platform", ["bluesky", "bsky"]),
  brand("social", "mastodon", "social_platform", ["mastodon", "fediverse"]),
  brand("social", "threads", "social_platform", ["threads app", ...onBrand("threads")]),
  brand("social", "xing", "social_platform", ["xing"]),
  brand("social", "vk", "social_platform", ["vk", "vkontakte"]),
  brand("social", "quora", "social_platform", ["quora"]),
  keyword("social", null, "social_generic", "social_media", GENERIC, [
    "social media", "social", "socials", "social network", "social networks", "redes sociales", "redes", "red social", "rrss",
    "soziale medien", "soziale netzwerke", "sozialen medien", "sozialen netzwerken", "reseaux sociaux", "reseau social",
    "redes sociais", "rede social", "influencer", "influencers", "influenceur", "influenceuse", "influenciador",
    "influenciadora", "content creator", "a creator",
  ]),

  // --- Search ----------------------------------------------------------------------------
  brand(
    "organic_search",
    "google",
    "search_engine",
    [
      "google", "googled", "googling", "googled it", "gogle", "googel", "goolge", "gooogle", "googles", "google com",
      "google search", "gegoogelt", "googeln", "gegoogled", "googlei", "googlando", "googleando", "googlee", "googleado",
      "google maps", "google news", "googelt", "googele",
    ],
    { fuzzy: ["google", "googled", "gegoogelt"] },
  ),
  brand("organic_search", "bing", "search_engine", ["bing"]),
  brand("organic_search", "duckduckgo", "search_engine", ["duckduckgo", "duck duck go", "ddg"]),
  brand("organic_search", "ecosia", "search_engine", ["ecosia"]),
  brand("organic_search", "yahoo", "search_engine", ["yahoo"]),
  brand("organic_search", "yandex", "search_engine", ["yandex"]),
  brand("organic_search", "baidu", "search_engine", ["baidu"]),
  brand("organic_search", "naver", "search_engine", ["naver"]),
  brand("organic_search", "qwant", "search_engine", ["qwant"]),
  brand("organic_search", "startpage", "search_engine", ["startpage"]),
  brand("organic_search", "kagi", "search_engine", ["kagi"]),
  brand("organic_search", "brave", "search_engine", ["brave search"]),
  keyword("organic_search", null, "search_generic", "search", GENERIC, [
    "search", "searched", "searching", "search engine", "search engines", "web search", "internet search", "online search",
    "search results", "search result", "looked it up", "looked up", "look it up", "searched online", "searching online",
    "busque", "buscando", "busqueda", "buscador", "buscar", "busca", "buscando en internet", "buscando por internet",
    "gesucht", "suche", "suchmaschine", "recherchiert", "internetsuche", "online suche",
    "recherche", "recherches", "cherche", "cherchant", "moteur de recherche", "recherche internet",
    "pesquisei", "pesquisa", "pesquisando", "pesquisar", "procurei", "procurando", "buscando na internet", "pesquisa na internet",
  ]),
  keyword("organic_search", null, "search_generic", "research", WEAK, ["researching", "research", "researched"]),
  keyword("paid_search", "google", "paid", "google_ads", BRAND, ["adwords", "google adwords"]),
  keyword("paid_social", "facebook", "paid", "meta_ads", BRAND, ["meta ads", "meta ad", "ads manager"]),

  // --- AI assistants ---------------------------------------------------------------------
  brand(
    "ai_assistant",
    "chatgpt",
    "ai",
    [
      "chatgpt", "chat gpt", "chatgtp", "chat gtp", "chatgpt4", "gpt", "gpt4", "gpt4o", "gpt 4", "gpt 4o", "gpt 5", "gpt5",
      "openai", "open ai", "chat gbt", "chatgbt", "chat gp",
    ],
    { fuzzy: ["chatgpt"] },
  ),
  brand("ai_assistant", "perplexity", "ai", [
    "perplexity", "perplexity ai", "pplx", "perplexety", "perplexcity", "preplexity", "perplexit", "perpelxity", "perplexiti",
  ]),
  brand("ai_assistant", "claude", "ai", ["claude", "claude ai", "anthropic"]),
  brand("ai_assistant", "gemini", "ai", ["gemini", "google gemini", "bard", "google bard"]),
  brand("ai_assistant", "copilot", "ai", ["copilot", "co pilot", "bing chat", "microsoft copilot"]),
  brand("ai_assistant", "meta_ai", "ai", ["meta ai"]),
  brand("ai_assistant", "grok", "ai", ["grok"]),
  brand("ai_assistant", "deepseek", "ai", ["deepseek", "deep seek"]),
  brand("ai_assistant", "mistral", "ai", ["mistral", "le chat mistral"]),
  keyword(
    "ai_assistant",
    null,
    "ai",
    "ai",
    0.85,
    [
      // "ai"/"ia"/"ki" alone are too short to trust inside a sentence (French "j'ai" becomes "j ai",
      // Portuguese "aí" becomes "ai"), so they count only with a word that makes them a noun.
      "an ai", "the ai", "some ai", "another ai", "other ai", "asked ai", "ask ai", "asking ai", "via ai", "from ai", "by ai",
      "ai assistant", "ai assistants", "ai tool", "ai tools", "ai chat", "ai chatbot", "ai search", "ai model", "ai app",
      "ai recommended", "ai suggested", "ai answer", "pra ia", "para ia", "na ia", "asked the ai", "genai", "gen ai", "llm", "llms", "chatbot", "chat bot",
      "artificial intelligence", "una ia", "la ia", "otra ia", "con ia", "uma ia", "outra ia", "pela ia", "une ia", "l ia",
      "autre ia", "une autre ia", "inteligencia artificial", "intelligence artificielle", "eine ki", "die ki", "andere ki",
      "einer ki", "anderen ki", "per ki", "ki tool", "ki assistent", "kunstliche intelligenz", "kuenstliche intelligenz",
    ],
    { whole: ["ai", "ia", "ki", "a ia"] },
  ),

  // --- Untracked media: podcasts, events, offline ----------------------------------------
  keyword("podcast", null, "podcast", "podcast", KEYWORD, [
    "podcast", "podcasts", "podcst", "podcasting", "podcaster", "podacst", "poscast", "podcats", "pod",
    "podcast episode", "podcasty", "podcastfolge", "podcast folge", "episodio del podcast",
  ], { fuzzy: ["podcast"] }),
  { ...brand("podcast", "spotify", "podcast", ["spotify podcast", "podcast on spotify", "podcast en spotify"], { confidence: KEYWORD }) },
  // Spotify on its own is most often a podcast; it is a weaker signal than the word "podcast".
  brand("podcast", "spotify", "podcast", ["spotify"], { confidence: 0.6, fuzzy: ["spotify"] }),
  brand("podcast", "apple_podcasts", "podcast", ["apple podcasts", "apple podcast", "itunes"], { confidence: KEYWORD }),
  brand("podcast", "google_podcasts", "podcast", ["google podcasts", "google podcast"], { confidence: KEYWORD }),
  keyword("events", "conference", "events", "conference", KEYWORD, [
    "conference", "conferences", "conf", "conferance", "conferencia", "conferencias", "congreso", "congress", "konferenz",
    "kongress", "congres", "congresso", "summit", "keynote", "convention",
  ], { fuzzy: ["conference", "konferenz"] }),
  keyword("events", "meetup", "events", "meetup", KEYWORD, ["meetup", "meetups", "meet up", "meet ups"], { fuzzy: ["meetup"] }),
  // A French "salon" is a trade show, but also a living room ("la télé au salon") and, in English, a hair
  // salon: alone, or "sur un salon" (at a trade show), not anywhere.
  keyword("events", "trade_show", "events", "trade_show", KEYWORD, [
    "trade show", "tradeshow", "trade fair", "expo", "exhibition", "messe", "feria", "feira", "salon professionnel", "booth",
    "stand at", "sur un salon", "sur le salon", "salon pro", "salons professionnels",
  ], { whole: ["un salon", "le salon", "au salon"] }),
  keyword("events", "webinar", "events", "webinar", KEYWORD, ["webinar", "webinars", "webinaire", "webinario", "online event", "live stream", "livestream"], {
    fuzzy: ["webinar"],
  }),
  keyword("events", null, "events", "event", KEYWORD, [
    "event", "events", "evento", "eventos", "veranstaltung", "événement", "hackathon", "workshop", "seminar",
    "seminario", "seminaire", "a talk", "talk at", "gave a talk", "a lecture", "guest lecture", "vortrag", "palestra", "charla", "ponencia",
    "panel", "festival", "in a class", "at university",
  ]),
  keyword("offline", "tv", "offline", "tv", KEYWORD, [
    "tv", "television", "tele", "la tele", "fernsehen", "fernseher", "fernsehwerbung", "tv ad", "tv commercial",
    "televisao", "a commercial", "commercials", "tv spot",
  ]),
  keyword("offline", "radio", "offline", "radio", KEYWORD, ["radio", "radio ad", "radiowerbung"]),
  keyword("offline", "print", "offline", "print", KEYWORD, [
    "magazine", "magazines", "newspaper", "newspapers", "print", "print ad", "printed", "flyer", "flyers", "leaflet", "brochure",
    "direct mail", "postcard", "letter in the mail", "catalog", "catalogue", "a book", "book", "revista", "periodico",
    "folleto", "zeitung", "zeitschrift", "magazin", "prospekt", "flugblatt", "buch", "journal", "magazine papier",
    "prospectus", "jornal", "folheto", "panfleto", "libro", "livro", "telegraph",
  ]),
  keyword("offline", "billboard", "offline", "billboard", KEYWORD, [
    "billboard", "billboards", "a poster", "the poster", "posters", "poster ad", "un poster", "um poster", "bus stop", "outdoor", "plakat", "plakatwand", "valla publicitaria",
    "cartel publicitario", "panneau publicitaire", "affiche", "affiches", "subway ad", "metro ad",
  ]),
  keyword("offline", "qr", "offline", "qr", KEYWORD, ["qr", "qr code", "qrcode", "codigo qr", "code qr", "qr kode"]),

  // --- Email ------------------------------------------------------------------------------
  keyword("email", "newsletter", "newsletter", "newsletter", KEYWORD, [
    "newsletter", "newsletters", "newslettern", "news letter", "newsleter", "boletin", "boletines", "infolettre", "lettre d information",
    "substack", "your newsletter",
  ], { fuzzy: ["newsletter"] }),
  keyword("email", null, "email", "email", WEAK, [
    "email", "emails", "e mail", "e mails", "emailed", "mail", "mails", "mailing", "an email", "correo", "correo electronico",
    "courriel", "courriels", "cold email", "email campaign", "email marketing", "inbox", "my inbox",
  ], { fuzzy: ["email"] }),

  // --- Communities (dark): forums and named groups -----------------------------------------
  keyword("community", "reddit", "community", "subreddit", KEYWORD, ["subreddit", "sub reddit", "subreddits"]),
  keyword("community", null, "community", "forum", 0.85, [
    "forum", "forums", "foro", "foros", "message board", "discussion board", "mailing list", "listserv", "mastermind",
    "newsgroup",
  ]),

  // --- Other websites ----------------------------------------------------------------------
  brand("referral", "producthunt", "referral", ["product hunt", "producthunt"]),
  brand("referral", "hackernews", "referral", ["hacker news", "hackernews", "hn", "ycombinator", "y combinator"]),
  brand("referral", "g2", "referral", ["g2", "g2 crowd", "g2 com"]),
  brand("referral", "capterra", "referral", ["capterra"]),
  brand("referral", "trustpilot", "referral", ["trustpilot"]),
  brand("referral", "github", "referral", ["github"]),
  brand("referral", "stackoverflow", "referral", ["stack overflow", "stackoverflow"]),
  brand("referral", "wikipedia", "referral", ["wikipedia"]),
  brand("referral", "medium", "referral", ["medium com", "on medium", "medium article", "medium post"]),
  brand("referral", "app_store", "referral", ["app store", "appstore", "play store", "google play"]),
  // "blog" is too short to correct below five letters ("bog" is a word): its slips are listed.
  keyword("referral", null, "referral", "website", WEAK, [
    "blog", "blogs", "blog post", "a blog", "article", "articles", "artikel", "articulo", "artigo", "review site", "review sites",
    "reviews", "a review", "comparison site", "website", "a website", "another website", "web site", "sitio web", "webseite",
    "site web", "un site", "um site", "listicle", "directory",
    "blg", "blgo", "bolg", "blig", "bkog", "blpg", "bloh", "bog post", "blogpost", "blogartikel", "blogbeitrag", "artikels",
    "artikeln", "testbericht", "testberichte", "testberichten", "testberichts", "erfahrungsbericht", "erfahrungsberichte",
    "rezension", "rezensionen", "vergleichsportal", "resena", "resenas", "comparatif",
  ], { fuzzy: ["blog", "article", "articulo", "artikel", "blogartikel", "testbericht"] }),

  // --- Knew the brand already (direct): a returning buyer names no channel, and no person ---------
  keyword("direct", null, "known_before", "known_before", GENERIC, [
    "already knew you", "already knew about you", "already knew the brand", "knew you already", "knew about you already",
    "known you for years", "already a customer", "existing customer", "returning customer", "repeat customer",
    "long time customer", "longtime customer", "loyal customer", "been a customer", "was a customer", "am a customer",
    "previous customer", "bought before", "ordered before", "bought from you before", "ordered from you before",
    "shopped here before", "used you before", "been buying from you",
    "ya los conocia", "ya te conocia", "ya la conocia", "ya conocia", "ya los conozco", "ya era cliente", "ya soy cliente",
    "cliente habitual", "cliente de siempre", "ya habia comprado",
    "kannte euch schon", "kannte euch", "kannte sie schon", "kenne euch", "kenne sie schon", "schon kunde", "bereits kunde",
    "stammkunde", "stammkundin", "war schon kunde", "schon mal bestellt", "schon einmal bestellt",
    "je vous connaissais", "je connaissais deja", "deja client", "deja cliente", "client fidele", "cliente fidele", "deja commande",
    "ja conhecia", "ja conheco", "ja era cliente", "ja sou cliente", "cliente antigo", "cliente fiel", "ja comprei", "ja tinha comprado",
  ]),
];

/** Person words: someone told them. `source` is "friend", "colleague", "family" or null. */
export interface PersonDef {
  source: "friend" | "colleague" | "family" | "in_person" | null;
  anywhere: readonly string[];
  /** Single-word spellings that typos are measured against (see `fuzzy.ts`). */
  fuzzy?: readonly string[];
}

export const PEOPLE: readonly PersonDef[] = [
  {
    source: "friend",
    anywhere: [
      "friend", "friends", "freind", "freinds", "frend", "frends", "frined", "firend", "frnd", "frnds", "buddy", "buddies", "pal",
      "mate", "mates", "bff", "bestie", "group of friends", "amigo", "amiga", "amigos", "amigas", "un amigo", "una amiga",
      "grupo de amigos", "conocido", "conocida", "freund", "freundin", "freunde", "freunden", "freundes", "kumpel",
      "bekannter", "bekannte", "bekannten", "ami", "amie", "amis", "amies", "copain", "copine", "copains", "pote", "potes",
      "une connaissance", "groupe d amis", "conhecido", "conhecida", "amigo meu", "parceiro", "acquaintance", "roommate", "roomie", "flatmate", "housemate", "neighbor",
      "neighbour", "vecino", "vecina", "nachbar", "nachbarin", "voisin", "voisine", "vizinho", "vizinha",
    ],
    fuzzy: ["friend", "friends"],
  },
  {
    source: "colleague",
    anywhere: [
      "colleague", "colleagues", "collegue", "collegues", "colleage", "coleague", "colegue", "coworker", "coworkers",
      "co worker", "co workers", "workmate", "workmates", "boss", "my manager", "my team", "teammate", "teammates",
      "cofounder", "co founder", "my ceo", "my cto", "business partner", "peer", "peers", "someone at work", "at work",
      "group of colleagues", "companero", "companera", "companeros", "companeras", "companero de trabajo", "colega", "colegas",
      "jefe", "jefa", "kollege", "kollegin", "kollegen", "kolleginnen", "arbeitskollege", "arbeitskollegin",
      "arbeitskollegen", "chef", "chefin", "vorgesetzter", "vorgesetzte", "teamkollege", "patron", "patronne", "mon chef",
      "ma cheffe", "mon manager", "associe", "colega de trabalho", "chefe", "gerente", "socio",
    ],
    fuzzy: ["colleague", "colleagues"],
  },
  {
    source: "family",
    anywhere: [
      "family", "wife", "husband", "spouse", "girlfriend", "boyfriend", "mom", "mum", "mother", "dad", "father", "brother",
      "sister", "my son", "my daughter", "cousin", "uncle", "aunt", "parents", "grandma", "grandpa", "familia", "esposa",
      "esposo", "mi mujer", "mi marido", "marido", "novia", "novio", "hermano", "hermana", "mi madre", "mi padre", "mama",
      "papa", "mi hijo", "mi hija", "primo", "mi prima", "tio", "tia", "abuela", "abuelo", "familie", "meine frau",
      "mein mann", "ehemann", "ehefrau", "bruder", "schwester", "mutter", "vater", "sohn", "tochter", "cousine", "onkel",
      "tante", "famille", "ma femme", "mon mari", "mari", "frere", "soeur", "ma mere", "mon pere", "maman", "mon fils",
      "ma fille", "oncle", "namorada", "namorado", "irmao", "irma", "mae", "pai", "filho", "filha", "minha prima",
    ],
  },
  {
    source: "in_person",
    anywhere: ["in person", "face to face", "irl", "en persona", "personlich", "en personne", "pessoalmente", "cara a cara"],
  },
  {
    source: null,
    anywhere: [
      "someone", "somebody", "a person", "a guy", "a lady", "my partner", "partner", "my doctor", "my teacher", "my professor",
      "teacher", "professor", "alguien", "una persona", "jemand", "quelqu un", "alguem", "uma pessoa", "classmate",
      "classmates", "a student", "people i know", "client", "clients", "customer", "a client", "a customer", "cliente",
      "kunde", "mentor", "coach", "consultant", "accountant", "my agency",
    ],
  },
];

/** Explicit "word of mouth" in each language: as strong as a person, and says so itself. */
export const WORD_OF_MOUTH: readonly string[] = [
  "word of mouth", "wom", "word to mouth", "boca a boca", "boca en boca", "de boca en boca", "boca a orelha",
  "bouche a oreille", "mundpropaganda", "mund zu mund", "mund zu mund propaganda", "passa palavra", "passa a palavra",
  // Slips in "boca" (too short to correct): a letter dropped, doubled or swapped, or a neighbouring key.
  "bca a boca", "boa a boca", "boc a boca", "booca a boca", "bocca a boca", "bcoa a boca", "boac a boca", "bica a boca",
  "bpca a boca", "boxa a boca", "bova a boca", "boca a bca", "boca a boa", "boca a boc", "boca a bcoa", "boca a boac",
  "boca boca",
];

/**
 * Words that point at a person without naming one ("recommended", "told me"). Alone they mean
 * word of mouth; next to a channel they add nothing ("chatgpt recommended it" is ChatGPT).
 */
export const RECOMMENDATION: readonly string[] = [
  "recommended", "recommendation", "recommendations", "recommend", "referred", "referral", "referal", "refered",
  "told me", "told us", "heard from", "mentioned", "suggested", "tip", "recomendo", "recomendaron", "recomendacion",
  "recomendado", "recomendada", "me recomendaron", "me hablo", "me hablaron", "me dijo", "me dijeron", "referido",
  "referencia", "empfehlung", "empfehlungen", "empfohlen", "weiterempfehlung", "weiterempfohlen", "erzahlt", "tipp",
  "recommande", "recommandation", "recommandee", "conseille", "on m a parle", "m a parle", "m en a parle", "parrainage",
  "indicacao", "indicou", "indicado", "indicada", "recomendacao", "recomendou", "me falou", "me falaram", "me contou",
];

export type ModifierKind =
  | "ad" // an advertisement: social -> paid_social, search -> paid_search
  | "online" // "online"/"internet": an ad online is paid media; alone it is too vague to place
  | "group" // a group or community: facebook -> community/facebook; alone -> community
  | "dm" // a private message on a public platform: instagram -> messaging/instagram
  | "message" // "a message": a dm unless posted in a group or part of an ad ("a sponsored message")
  | "sent" // "sent me": with a person and a public platform it was a private message
  | "forward" // a forwarded message: personal_email unless a messaging app carried it
  | "negation" // "not google": the next signal does not count
  | "dont_remember"
  | "dont_know"
  | "vague" // "the internet": not a channel
  | "ignore"; // words that would otherwise mislead ("your team" is the vendor, not a colleague)

export interface ModifierDef {
  kind: ModifierKind;
  anywhere: readonly string[];
  whole?: readonly string[];
  /** Single-word spellings that typos are measured against (see `fuzzy.ts`). */
  fuzzy?: readonly string[];
}

export const MODIFIERS: readonly ModifierDef[] = [
  {
    kind: "ad",
    anywhere: [
      "ad", "ads", "advert", "adverts", "advertisement", "advertisements", "advertising", "sponsored",
      "promoted", "banner", "banner ad", "display ad", "retargeting", "anuncio", "anuncios",
      "publicidad", "patrocinado", "werbung", "anzeige", "anzeigen", "werbeanzeige", "gesponsert", "publicite", "pub",
      "une pub", "annonce", "sponsorise", "propaganda", "publicidade", "anuncio pago", "patrocinada",
    ],
  },
  {
    kind: "online",
    anywhere: ["online", "internet", "on the internet", "the internet", "web", "the web", "en internet", "im internet", "sur internet", "na internet", "pela internet", ],
  },
  {
    kind: "group",
    anywhere: [
      "group", "groups", "grupo", "grupos", "gruppe", "gruppen", "groupe", "groupes", "community", "communities", "comunidad",
      "comunidades", "comunidade", "communaute", "private group", "closed group", "online community",
    ],
  },
  {
    kind: "dm",
    anywhere: [
      "dm", "dms", "dmed", "dmd", "dm d", "dm ed", "dming", "direct message", "direct messages", "private message", "messaged", "messaged me",
      "mensaje directo", "mensaje privado", "privatnachricht", "direktnachricht", "message prive", "en mp", "par mp",
      "mensagem privada", "no direct", "por dm", "per dm", "via dm",
      // Sent by message: "me lo mandaron por mensaje".
      "by message", "via message", "per message", "sent me a message", "sent a message", "par message", "por mensaje",
      "por mensajes", "por mensagem", "via mensagem", "per nachricht",
    ],
    // A whole answer of "a message" says how it came; inside a sentence the word needs a platform or a
    // person ("the message resonated" is not a channel).
    whole: ["message", "a message", "messages", "mensaje", "un mensaje", "mensagem", "uma mensagem", "un message", "nachricht", "eine nachricht"],
  },
  {
    // "a linkedin message", "LinkedIn-Nachricht von einem Kollegen", "mensagem de um amigo". Not the
    // German plural "Nachrichten", which is also the news.
    kind: "message",
    anywhere: ["message", "messages", "mensaje", "mensajes", "mensagem", "nachricht"],
    fuzzy: ["message", "mensaje", "mensagem"],
  },
  {
    kind: "sent",
    anywhere: [
      "sent me", "sent it", "sent it to me", "sent us", "me mando", "me envio", "me paso", "me mandaron", "me mandou",
      "me enviou", "mandou", "hat mir geschickt", "geschickt", "m a envoye", "envoye",
    ],
  },
  {
    kind: "forward",
    anywhere: [
      "forwarded", "forwarding", "a forward", "forward from", "email forward", "fwd", "fw", "forwarded email", "forwarded me", "reenviado", "reenvio", "reenviaron",
      "weitergeleitet", "weitergeleitete", "transfere", "transferee", "encaminhado", "encaminhou", "repassou", "repassado",
    ],
  },
  { kind: "negation", anywhere: ["not", "never", "didnt", "wasnt", "isnt", "nicht", "nie", "jamais", "pas", "nunca", "nao"] },
  {
    kind: "dont_remember",
    anywhere: [
      "dont remember", "do not remember", "cant remember", "cannot remember", "can not remember", "don t remember", "dont recall",
      "do not recall", "cant recall", "forgot", "forget", "forgotten", "no recuerdo", "no me acuerdo", "no lo recuerdo",
      "ya no me acuerdo", "olvide", "weiss nicht mehr", "weis nicht mehr", "weiss ich nicht mehr", "weis ich nicht mehr", "ich weiss es nicht mehr", "erinnere mich nicht",
      "keine erinnerung", "vergessen", "je ne sais plus", "sais plus", "je ne me souviens pas", "je me souviens pas",
      "souviens plus", "me souviens plus", "je ne me rappelle pas", "rappelle plus", "oublie", "nao lembro", "nao me lembro",
      "esqueci", "nao recordo", "no lembro",
    ],
  },
  {
    kind: "dont_know",
    anywhere: [
      "idk", "dunno", "no idea", "not sure", "dont know", "do not know", "don t know", "no clue at all", "unsure", "no clue", "ni idea", "no lo se", "keine ahnung", "weiss nicht", "weiss ich nicht", "ich weiss nicht",
      "weis nicht", "je sais pas", "je ne sais pas", "aucune idee", "nao sei", "sei la", "unknown", "desconocido", "unbekannt",
      "inconnu", "desconhecido",
    ],
    whole: ["na", "n a", "none", "nothing", "nada", "nope", "no se", "nose", "other", "others", "otro", "otra", "otros", "andere", "sonstiges", "autre", "outro", "outros", "misc", "x", "idc", "no"],
  },
  {
    kind: "vague",
    anywhere: ["net", "browsing", "surfing", "somewhere", "surfing the web", "na net"],
  },
  {
    kind: "ignore",
    anywhere: [
      // The vendor itself is not a channel.
      "your team", "your sales team", "your sales rep", "sales rep", "salesperson", "your rep", "your founder", "your ceo",
      "your company", "your site", "your website", "your blog", "your app", "your product", "cold call", "phone call",
      "called me",
      // An English pub is not a French "pub" (advertisement).
      "pub quiz", "at the pub", "in the pub", "at a pub", "in a pub",
    ],
  },
];

/**
 * Real words one edit (or one keyboard slip) from a typo target, found by running the English, Spanish,
 * German, French and Portuguese word lists (Debian's wamerican, wspanish, wngerman, wfrench, wbrazilian)
 * through the matcher with `scripts/check-fuzzy-words.ts`. They are never corrected. Real words that
 * mean the target ("instagrams", German "twittert") are listed as its phrases instead.
 */
export const FUZZY_STOPLIST: ReadonlySet<string> = new Set([
  "twister", "titter", "goggle", "googly", "goggled", "telegraf", "instaram", "instauram", "pinterent", "conferencie",
  "messender", "massage", "messager", "menaje", "discoed", "discords", "discorde", "teaks", "trams", "temas", "teame",
  "fiend", "fiends", "fried", "friand", "friands", "freiend", "articula", "articule", "articulou", "belog",
  // One edit from a word of a phrase of several words (typos in phrases, see match.ts), found by putting
  // each real word of the same lists in its place: most keep the meaning ("einem ki", "searches online")
  // or make nonsense ("whams app"); these make a plausible answer that says something else. "Even
  // though teams…" is not "through teams", "a local customer" not "a loyal customer", "konnte euch
  // nicht finden" not "kannte euch", "a lecturer" or "a potter" not "a lecture" or "a poster", "un
  // poste" (a job) not "un poster", "it stands at the top" not a booth, "ma ferme" not "ma femme".
  "though", "trough", "thorough", "thread", "threats", "treads", "liked", "lined", "licked", "locked", "local", "konnte",
  "founded", "managed", "manages", "perplexite", "lecturer", "lectured", "poste", "postes", "posted", "posten", "porter",
  "poser", "potter", "texte", "processor", "stands", "ferme",
]);
