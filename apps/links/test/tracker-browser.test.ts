import type { LanternEvent } from "@lantern/queue";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually, type TrackerHarness, trackerHarness } from "./fixtures/tracker/harness.ts";
import { DESKTOP_CHROME, launchChromium, type Site, type SitePage, serveSite, visitorContext } from "./fixtures/tracker/site.ts";

// Browser globals used inside the callbacks that Playwright runs in the page. Declared here (module
// scope, loosely typed) rather than adding the DOM library to the whole package's type check.
// biome-ignore lint/suspicious/noExplicitAny: page-side code, checked by running it in Chromium
type PageGlobal = any;
declare const window: PageGlobal, document: PageGlobal, navigator: PageGlobal, localStorage: PageGlobal;
declare const Navigator: PageGlobal, Document: PageGlobal, DOMException: PageGlobal;

/**
 * lantern.js in Chromium, against the links app served in-process on a real port (its buffer records
 * what the beacons pushed) and a test site on another origin.
 */

let h: TrackerHarness;
let links: string;
let site: Site;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  h = await trackerHarness();
  links = await h.listen();
  site = await serveSite();
  browser = await launchChromium();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await h?.close();
});

let seq = 0;
/** A fresh page of the test site, under its own path segment; returns its URL. */
function page(vars: Record<string, string> = {}, file: SitePage["file"] = "plain", headers?: Record<string, string>): string {
  const segment = `p${++seq}`;
  site.pages.set(segment, { file, vars: { LINKS: links, ...vars }, headers });
  return `${site.url}/${segment}/article`;
}

const ID = (n: number) => `${"ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26]}lcid${String(n).padStart(6, "0")}`;

/** sendBeacon wrapped so the test can see, without waiting, every beacon the script tried to send on this page (it sends synchronously while it runs). */
function recordBeacons() {
  const w = window as unknown as { __sent: string[] };
  w.__sent = [];
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url: unknown, data: unknown) => {
    w.__sent.push(String(url));
    return beacon(url, data);
  };
}

/** A visitor: its own browser profile, whose beacons are recorded. */
async function visitor(init?: () => void): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await visitorContext(browser);
  contexts.push(context);
  await context.addInitScript(recordBeacons);
  if (init) await context.addInitScript(init);
  const p = await context.newPage();
  const errors: string[] = [];
  p.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  p.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`console ${m.type()}: ${m.text()}`);
  });
  return { context, page: p, errors };
}

async function open(p: Page, url: string, options?: Parameters<Page["goto"]>[1]) {
  await p.goto(url, options);
  await p.waitForFunction(() => (globalThis as unknown as { lantern?: { lantern?: number } }).lantern?.lantern === 1);
}

const sent = (p: Page) => p.evaluate(() => (globalThis as unknown as { __sent: string[] }).__sent.map((u) => new URL(u).pathname));
const context = (p: Page) => p.evaluate(() => (globalThis as unknown as { lantern: { context(): Record<string, string | null> } }).lantern.context());
const stored = (p: Page) => p.evaluate(() => ({ local: localStorage.getItem("lantern:visitor"), cookie: document.cookie }));

/** Leaves the current page the way a link on it would (so document.referrer is that page). */
async function follow(p: Page, url: string) {
  await Promise.all([p.waitForURL(url), p.evaluate((href) => window.location.assign(href), url)]);
  await p.waitForFunction(() => (globalThis as unknown as { lantern?: { lantern?: number } }).lantern?.lantern === 1);
}

/** Moves the stored record's lastTouch (localStorage and cookie) `ago` milliseconds into the past. */
const lastTouchedAgo = (p: Page, ago: number) =>
  p.evaluate((ms) => {
    const parts = String(localStorage.getItem("lantern:visitor")).split(".");
    parts[4] = String(Date.now() - ms);
    localStorage.setItem("lantern:visitor", parts.join("."));
    document.cookie = `_lantern=${parts.join(".")}; path=/; max-age=31536000; samesite=lax`;
  }, ago);

const lastTouch = async (p: Page) => Number((await stored(p)).local?.split(".")[4]);

function pushedOf<T extends LanternEvent["type"]>(type: T, match: (e: Extract<LanternEvent, { type: T }>) => boolean) {
  return h.pushed.filter((e): e is Extract<LanternEvent, { type: T }> => e.type === type && match(e as Extract<LanternEvent, { type: T }>));
}

describe("lantern.js in Chromium", () => {
  it("on a landing with lcid keeps a first-party record, sends one landing beacon and swaps lcid for lsh in the address bar, keeping the other parameters and the fragment", async () => {
    const { page: p, errors } = await visitor();
    const lcid = ID(1);
    await open(p, `${page()}?utm_source=whatsapp&lcid=${lcid}&q=a%20b#reviews`);

    const ctx = await context(p);
    expect(ctx.lcid).toBe(lcid);
    expect(ctx.visitorId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(ctx.shareToken).toMatch(/^[A-Za-z0-9_-]{10}$/);
    const url = new URL(p.url());
    expect(url.search).toBe(`?utm_source=whatsapp&q=a%20b&lsh=${ctx.shareToken}`);
    expect(url.hash).toBe("#reviews");

    const { local, cookie } = await stored(p);
    expect(local).toMatch(new RegExp(`^${ctx.visitorId}\\.${ctx.shareToken}\\.${lcid}\\.\\d+\\.\\d+$`));
    expect(cookie).toBe(`_lantern=${local}`);

    const [landing] = await eventually("the landing beacon", () => {
      const found = pushedOf("tracker.landing", (e) => e.lcid === lcid);
      return found.length ? found : undefined;
    });
    expect(landing).toMatchObject({ visitorId: ctx.visitorId, lcid, shareToken: ctx.shareToken, page: `${url.origin}${url.pathname}` });
    expect(await sent(p)).toEqual(["/t/landing"]);
    expect(errors).toEqual([]);
  });

  it("a visitor reloading their own tagged URL sends nothing and keeps their token", async () => {
    const { page: p } = await visitor();
    await open(p, `${page()}?lcid=${ID(2)}`);
    const first = await context(p);
    const tagged = p.url();
    await p.reload();
    await p.waitForFunction(() => (globalThis as unknown as { lantern?: { lantern?: number } }).lantern?.lantern === 1);
    expect(await sent(p)).toEqual([]);
    expect(p.url()).toBe(tagged);
    expect(await context(p)).toEqual(first);
  });

  it("a second visitor opening the copied URL sends an arrival with the sharer's token and the referrer, and gets its own token in the address bar", async () => {
    const a = await visitor();
    await open(a.page, `${page()}?lcid=${ID(3)}`);
    const sharer = await context(a.page);

    const b = await visitor();
    await open(b.page, a.page.url()); // pasted: no referrer
    const arrived = await context(b.page);
    expect(arrived.visitorId).not.toBe(sharer.visitorId);
    expect(arrived.lcid).toBeNull();
    expect(arrived.shareToken).not.toBe(sharer.shareToken);
    expect(new URL(b.page.url()).searchParams.getAll("lsh")).toEqual([arrived.shareToken]);
    expect(await sent(b.page)).toEqual(["/t/arrival"]);

    const c = await visitor();
    await open(c.page, b.page.url(), { referer: "https://www.linkedin.com/" });
    const third = await context(c.page);

    const [ab] = await eventually("the first arrival", () => {
      const found = pushedOf("tracker.arrival", (e) => e.shareToken === sharer.shareToken);
      return found.length ? found : undefined;
    });
    expect(ab).toMatchObject({ visitorId: arrived.visitorId, ownShareToken: arrived.shareToken, referrer: null });
    const [bc] = await eventually("the second arrival", () => {
      const found = pushedOf("tracker.arrival", (e) => e.shareToken === arrived.shareToken);
      return found.length ? found : undefined;
    });
    expect(bc).toMatchObject({ visitorId: third.visitorId, ownShareToken: third.shareToken, referrer: "https://www.linkedin.com/" });
  });

  it("replays calls made through the queue stub before it loaded, after the landing, so a queued conversion carries the click id", async () => {
    const { page: p } = await visitor();
    const lcid = ID(4);
    const url = page({ BEFORE: `lantern("track", "conversion", { type: "signup", value: "0", id: "queued-${lcid}" });` });
    await open(p, `${url}?lcid=${lcid}`);
    expect(await sent(p)).toEqual(["/t/landing", "/t/conversion"]);
    const ctx = await context(p);
    const [conversion] = await eventually("the queued conversion", () => {
      const found = pushedOf("conversion", (e) => e.conversion.externalId === `queued-${lcid}`);
      return found.length ? found : undefined;
    });
    expect(conversion).toMatchObject({
      origin: "tracker",
      visitorId: ctx.visitorId,
      lcid,
      shareToken: ctx.shareToken,
      conversion: { type: "signup", value: 0, currency: null, externalId: `queued-${lcid}`, occurredAt: null },
    });
  });

  it("lantern(fn) runs fn once the script is there, with the API", async () => {
    const { page: p } = await visitor();
    await open(p, page({ BEFORE: "lantern(function (api) { window.__ready = typeof api.context; });" }));
    expect(await p.evaluate(() => (globalThis as unknown as { __ready: string }).__ready)).toBe("function");
  });

  for (const signal of ["doNotTrack", "globalPrivacyControl"] as const) {
    it(`with ${signal} on it sends nothing, stores nothing and leaves the address bar alone; data-honor-dnt="false" tracks anyway`, async () => {
      const { page: p, errors } = await visitor(
        signal === "doNotTrack"
          ? () => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" })
          : () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }),
      );
      const lcid = ID(5);
      const url = `${page()}?lcid=${lcid}`;
      await open(p, url);
      expect(p.url()).toBe(url);
      expect(await context(p)).toEqual({ visitorId: null, lcid: null, shareToken: null });
      expect(await p.evaluate(() => (globalThis as unknown as { lantern: { track(...a: unknown[]): boolean } }).lantern.track("conversion", { type: "purchase" }))).toBe(false);
      expect(await sent(p)).toEqual([]);
      expect(await stored(p)).toEqual({ local: null, cookie: "" });

      await open(p, `${page({ ATTRS: ' data-honor-dnt="false"' })}?lcid=${lcid}`);
      expect(await sent(p)).toEqual(["/t/landing"]);
      expect(new URL(p.url()).searchParams.has("lsh")).toBe(true);
      expect(errors).toEqual([]);
    });
  }

  it("consent(false) clears the record, the cookie and the share token in the address bar; later pages stay untracked until consent(true)", async () => {
    const { page: p } = await visitor();
    await open(p, `${page()}?lcid=${ID(6)}`);
    const before = await context(p);
    await p.evaluate(() => localStorage.setItem("lantern:lcid", "from-widget"));

    await p.evaluate(() => (globalThis as unknown as { lantern: (...a: unknown[]) => void }).lantern("consent", false));
    expect(new URL(p.url()).searchParams.has("lsh")).toBe(false);
    expect(await context(p)).toEqual({ visitorId: null, lcid: null, shareToken: null });
    // Only the refusal itself is remembered ("-"): no identifier is left.
    expect(await stored(p)).toEqual({ local: "-", cookie: "_lantern=-" });
    expect(await p.evaluate(() => localStorage.getItem("lantern:lcid"))).toBeNull();

    const lcid = ID(7);
    const next = `${page()}?lcid=${lcid}`;
    await open(p, next);
    expect(await sent(p)).toEqual([]);
    expect(p.url()).toBe(next);

    await p.evaluate(() => (globalThis as unknown as { lantern: { consent(v: boolean): void } }).lantern.consent(true));
    const after = await context(p);
    expect(after.lcid).toBe(lcid);
    expect(after.visitorId).not.toBe(before.visitorId);
    expect(await sent(p)).toEqual(["/t/landing"]);
    expect(new URL(p.url()).searchParams.get("lsh")).toBe(after.shareToken);
  });

  it('with data-require-consent nothing is stored or sent until consent(true), which later pages then remember', async () => {
    const { page: p } = await visitor();
    const attrs = { ATTRS: " data-require-consent" };
    const lcid = ID(8);
    await open(p, `${page(attrs)}?lcid=${lcid}`);
    expect(await sent(p)).toEqual([]);
    expect(await stored(p)).toEqual({ local: null, cookie: "" });

    await p.evaluate(() => (globalThis as unknown as { lantern: { consent(v: boolean): void } }).lantern.consent(true));
    expect(await sent(p)).toEqual(["/t/landing"]);
    const ctx = await context(p);
    expect(ctx.lcid).toBe(lcid);

    await open(p, page(attrs));
    expect(await context(p)).toEqual(ctx);
  });

  it("never throws into the host page: storage that throws, beacons that throw, odd arguments", async () => {
    const { page: p, errors } = await visitor(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("blocked", "SecurityError");
        },
      });
      Object.defineProperty(Document.prototype, "cookie", {
        get() {
          throw new DOMException("blocked", "SecurityError");
        },
        set() {
          throw new DOMException("blocked", "SecurityError");
        },
      });
      navigator.sendBeacon = () => {
        throw new Error("no beacons");
      };
      window.fetch = () => {
        throw new Error("no fetch");
      };
    });
    await open(p, `${page()}?lcid=${ID(9)}`);
    const result = await p.evaluate(() => {
      const l = (globalThis as unknown as { lantern: ((...a: unknown[]) => unknown) & { track(...a: unknown[]): unknown; consent(v: boolean): unknown } }).lantern;
      const evil = {
        get type() {
          throw new Error("getter");
        },
      };
      l.track();
      l.track("conversion", null);
      l.track("conversion", evil);
      l.track("conversion", { value: { valueOf: () => Number.NaN }, currency: Symbol("x") });
      l("no-such-command", 1, 2);
      l("toString");
      l.consent(false);
      l.consent(true);
      l(() => {
        throw new Error("callback");
      });
      return "still running";
    });
    expect(result).toBe("still running");
    expect(errors).toEqual([]);
  });

  it("loads and sends its beacons on a page whose Content-Security-Policy allows only the links origin for scripts and connections, with no console error or violation", async () => {
    const { page: p, errors } = await visitor(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e: { violatedDirective: string; blockedURI: string }) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const csp = [
      "default-src 'none'",
      `script-src ${links}`,
      `connect-src ${links}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
      "require-trusted-types-for 'script'",
      "trusted-types 'none'",
    ].join("; ");
    const lcid = ID(10);
    await open(p, `${page({}, "csp", { "content-security-policy": csp })}?lcid=${lcid}`);
    await p.evaluate(() => (globalThis as unknown as { lantern: { track(...a: unknown[]): boolean } }).lantern.track("conversion", { type: "purchase", value: 10, currency: "USD", id: `csp-order` }));
    expect(new URL(p.url()).searchParams.has("lsh")).toBe(true);
    await eventually("both beacons under CSP", () => pushedOf("tracker.landing", (e) => e.lcid === lcid).length === 1 && pushedOf("conversion", (e) => e.conversion.externalId === "csp-order").length === 1);
    expect(await p.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("lantern.js visits (pages without lcid or someone else's lsh)", () => {
  const GOOGLE = "https://www.google.com/";
  const MINUTE = 60_000;
  const visitsOf = (visitorId: string | null | undefined) => pushedOf("tracker.visit", (e) => e.visitorId === visitorId);

  it("an untagged page opened from another site sends one visit with the referrer, origin + path and the campaign parameters alone, keeps a record and leaves the address bar alone; a later conversion carries the same visitor", async () => {
    const { page: p, errors } = await visitor();
    const url = `${page()}?utm_campaign=spring&email=someone%40example.com&UTM_Medium=e%20mail&gclid=Cj0KCQ-secret#top`;
    await open(p, url, { referer: GOOGLE });
    expect(await sent(p)).toEqual(["/t/visit"]);
    expect(p.url()).toBe(url);
    const ctx = await context(p);
    expect(ctx.visitorId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(ctx.lcid).toBeNull();
    expect((await stored(p)).local).toMatch(new RegExp(`^${ctx.visitorId}\\.${ctx.shareToken}\\.\\.\\d+\\.\\d+$`));

    const [visit] = await eventually("the visit", () => {
      const found = visitsOf(ctx.visitorId);
      return found.length ? found : undefined;
    });
    const { origin, pathname } = new URL(url);
    // UTMs kept (names lower-cased, values as given), an ad click id only as "1", everything else dropped.
    expect(visit).toMatchObject({ referrer: GOOGLE, page: `${origin}${pathname}?utm_campaign=spring&utm_medium=e%20mail&gclid=1`, userAgent: DESKTOP_CHROME });

    await p.evaluate((id) => (globalThis as unknown as { lantern: { track(...a: unknown[]): boolean } }).lantern.track("conversion", { id }), `after-visit-${ctx.visitorId}`);
    const [conversion] = await eventually("the conversion", () => {
      const found = pushedOf("conversion", (e) => e.conversion.externalId === `after-visit-${ctx.visitorId}`);
      return found.length ? found : undefined;
    });
    expect(conversion!.visitorId).toBe(ctx.visitorId);
    expect(visitsOf(ctx.visitorId)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("within the session, a reload and a second page of the same site send nothing (one cookie write each); coming back from another site sends a visit again", async () => {
    const { page: p } = await visitor(() => {
      const w = window as unknown as { __cookieWrites: number };
      w.__cookieWrites = 0;
      const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie") as { get(): string; set(value: string): void };
      Object.defineProperty(Document.prototype, "cookie", {
        get() {
          return cookie.get.call(this);
        },
        set(value: string) {
          w.__cookieWrites++;
          cookie.set.call(this, value);
        },
      });
    });
    const cookieWrites = () => p.evaluate(() => (globalThis as unknown as { __cookieWrites: number }).__cookieWrites);
    await open(p, page(), { referer: GOOGLE });
    expect(await sent(p)).toEqual(["/t/visit"]);
    expect(await cookieWrites()).toBe(1);
    const ctx = await context(p);

    await p.reload(); // document.referrer is still Google's
    await p.waitForFunction(() => (globalThis as unknown as { lantern?: { lantern?: number } }).lantern?.lantern === 1);
    expect(await sent(p)).toEqual([]);
    expect(await cookieWrites()).toBe(1);

    const second = page();
    await follow(p, second);
    expect(await p.evaluate(() => document.referrer)).toContain(site.url);
    expect(await sent(p)).toEqual([]);
    expect(await cookieWrites()).toBe(1);
    expect(await context(p)).toEqual(ctx);

    await open(p, page(), { referer: "https://news.ycombinator.com/" });
    expect(await sent(p)).toEqual(["/t/visit"]);
    const visits = await eventually("both visits", () => {
      const found = visitsOf(ctx.visitorId);
      return found.length === 2 ? found : undefined;
    });
    expect(visits.map((v) => v.referrer)).toEqual([GOOGLE, "https://news.ycombinator.com/"]);
  });

  it("a session ends after 30 minutes without a page view: every page view moves lastTouch, and a page after the gap sends a visit without a referrer", async () => {
    const { page: p } = await visitor();
    await open(p, page(), { referer: GOOGLE });
    const ctx = await context(p);

    await lastTouchedAgo(p, 29 * MINUTE);
    const before = Date.now();
    await open(p, page()); // typed in, bookmark: no referrer
    expect(await sent(p)).toEqual([]);
    expect(await lastTouch(p)).toBeGreaterThanOrEqual(before);

    await lastTouchedAgo(p, 31 * MINUTE);
    await open(p, page());
    expect(await sent(p)).toEqual(["/t/visit"]);
    const visits = await eventually("the visit of the new session", () => {
      const found = visitsOf(ctx.visitorId);
      return found.length === 2 ? found : undefined;
    });
    expect(visits[1]).toMatchObject({ referrer: null });

    // The visitor's own tagged URL (a bookmark) also starts a session: a visit, never an arrival.
    await lastTouchedAgo(p, 31 * MINUTE);
    await open(p, `${page()}?lsh=${ctx.shareToken}`);
    expect(await sent(p)).toEqual(["/t/visit"]);
  });

  it("a tagged page sends its landing or arrival and no visit, whatever the referrer", async () => {
    const a = await visitor();
    await open(a.page, `${page()}?lcid=${ID(20)}`, { referer: GOOGLE });
    expect(await sent(a.page)).toEqual(["/t/landing"]);
    const b = await visitor();
    await open(b.page, a.page.url(), { referer: GOOGLE });
    expect(await sent(b.page)).toEqual(["/t/arrival"]);
  });

  it("sends no visit with Do Not Track, after consent(false), or with data-require-consent before consent(true)", async () => {
    const dnt = await visitor(() => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" }));
    await open(dnt.page, page(), { referer: GOOGLE });
    expect(await sent(dnt.page)).toEqual([]);
    expect(await stored(dnt.page)).toEqual({ local: null, cookie: "" });

    const refused = await visitor();
    await open(refused.page, page({ BEFORE: 'lantern("consent", false);' }), { referer: GOOGLE });
    expect(await sent(refused.page)).toEqual([]);
    await open(refused.page, page(), { referer: GOOGLE }); // the refusal is remembered
    expect(await sent(refused.page)).toEqual([]);
    expect(await context(refused.page)).toEqual({ visitorId: null, lcid: null, shareToken: null });

    const waiting = await visitor();
    await open(waiting.page, page({ ATTRS: " data-require-consent" }), { referer: GOOGLE });
    expect(await sent(waiting.page)).toEqual([]);
    expect(await stored(waiting.page)).toEqual({ local: null, cookie: "" });
    await waiting.page.evaluate(() => (globalThis as unknown as { lantern: { consent(v: boolean): void } }).lantern.consent(true));
    expect(await sent(waiting.page)).toEqual(["/t/visit"]);
  });
});

describe("lantern.js across subdomains", () => {
  it("with data-cookie-domain the record's cookie carries the visitor from one subdomain to another", async () => {
    // Two hostnames of one site, both resolved to the test server.
    const multi = await launchChromiumWithHosts();
    try {
      const port = new URL(site.url).port;
      const profile = await multi.newContext({ userAgent: DESKTOP_CHROME });
      await profile.addInitScript(recordBeacons);
      const p = await profile.newPage();
      const attrs = { ATTRS: ' data-cookie-domain="lantern.test"' };
      await open(p, `http://www.lantern.test:${port}${new URL(page(attrs)).pathname}?lcid=${ID(11)}`);
      const landed = await context(p);
      expect(landed.lcid).toBe(ID(11));
      // Another origin, whose localStorage starts empty: the visitor is recognised through the shared cookie,
      // and a referrer anywhere under the cookie domain is the same site: no visit.
      await follow(p, `http://shop.lantern.test:${port}${new URL(page(attrs)).pathname}`);
      expect(await p.evaluate(() => document.referrer)).toBe(`http://www.lantern.test:${port}/`);
      expect(await context(p)).toEqual(landed);
      expect(await sent(p)).toEqual([]);
      await open(p, `http://shop.lantern.test:${port}${new URL(page(attrs)).pathname}`, { referer: "http://lantern.test/" });
      expect(await sent(p)).toEqual([]);
      await open(p, `http://shop.lantern.test:${port}${new URL(page(attrs)).pathname}`, { referer: "http://lantern.test.example/" });
      expect(await sent(p)).toEqual(["/t/visit"]);
      await profile.close();
    } finally {
      await multi.close();
    }
  });
});

async function launchChromiumWithHosts(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--host-resolver-rules=MAP *.lantern.test 127.0.0.1",
    ],
  });
}
