/*
 * lantern.js, the Lantern site tracker. ES2017 browser JavaScript, no dependencies; minified for
 * ES2017 at start-up by the links service (see build.ts). Everything runs inside try/catch: whatever
 * goes wrong here must never reach the host page. README.md next to this file documents the embed.
 *
 * What it does, in short:
 * - landing (the URL carries lcid=<click id>, appended by the short-link redirect): keep a first-party
 *   record { visitorId, lcid, shareToken, firstTouch, lastTouch } (localStorage + cookie), send
 *   POST /t/landing, and swap lcid=... in the address bar for lsh=<this visitor's share token>;
 * - arrival (the URL carries someone's lsh=... and no lcid): send POST /t/arrival and re-tag the address
 *   bar with this visitor's own token, so chains of re-shares can be followed;
 * - visit (any other page, not a reload): send POST /t/visit with document.referrer when a session
 *   starts (first page, or 30 minutes since the last one) or the visitor comes from another site;
 * - lantern.track("conversion", {...}), lantern.context(), lantern.consent(bool), lantern(fn).
 */
((w, d) => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script, not a module: strict is not implied
  "use strict";
  try {
    const prev = w.lantern;
    if (prev?.lantern) return; // loaded twice: the first copy stays in charge

    const nav = navigator;
    const ID = /^[A-Za-z0-9_-]{6,64}$/;
    // Keys of our own storage. The survey widget keeps "lantern:lcid" and "lantern:lsh" under the same
    // prefix; consent(false) clears those too, since they are the same identifiers.
    const KEY = "lantern:visitor";
    const OUT = "-"; // stored instead of a record when the visitor said no (consent(false))
    const YEAR = 31536000;
    const SESSION = 18e5; // 30 minutes without a page view end a session (ms)

    const me = d.currentScript || d.querySelector('script[src*="/lantern.js"]');
    const attr = (name) => (me ? me.getAttribute(`data-${name}`) : null);
    const base = me ? me.src.replace(/\/lantern\.js([?#].*)?$/, "") : "";
    const cookieDomain = attr("cookie-domain");
    const needConsent = attr("require-consent") != null && attr("require-consent") !== "false";
    const tagAll = attr("tag") === "all";
    const dnt = attr("honor-dnt") !== "false" && (nav.doNotTrack === "1" || w.doNotTrack === "1" || nav.globalPrivacyControl === true);

    let consented = false;
    let started = false;

    const valid = (v) => (typeof v === "string" && ID.test(v) ? v : null);
    const str = (v, max) => (v == null || v === "" ? null : String(v).slice(0, max));

    // base64url characters from crypto.getRandomValues (Math.random only where crypto is missing).
    const rid = (n) => {
      const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const bytes = new Uint8Array(n);
      if (w.crypto?.getRandomValues) w.crypto.getRandomValues(bytes);
      else for (let i = 0; i < n; i++) bytes[i] = Math.random() * 256;
      let out = "";
      for (let i = 0; i < n; i++) out += chars[bytes[i] & 63];
      return out;
    };

    const readCookie = () => {
      const m = d.cookie.match(/(?:^|;\s*)_lantern=([^;]*)/);
      return m ? decodeURIComponent(m[1]) : null;
    };
    const writeCookie = (value, maxAge) => {
      const tail = `; path=/; max-age=${maxAge}; samesite=lax${location.protocol === "https:" ? "; secure" : ""}`;
      try {
        if (cookieDomain) d.cookie = `_lantern=${value}${tail}; domain=${cookieDomain}`;
        // Also host-only: when data-cookie-domain does not cover this host the browser drops the first.
        if (!cookieDomain || maxAge === 0 || readCookie() !== value) d.cookie = `_lantern=${value}${tail}`;
      } catch {}
    };

    // The stored state: a record, OUT (opted out), or null. The cookie wins: it spans subdomains.
    // Stored form: visitorId.shareToken.lcid.firstTouch.lastTouch ("." never occurs in base64url).
    const load = () => {
      let raw = null;
      try {
        raw = readCookie();
      } catch {}
      if (!raw) {
        try {
          raw = w.localStorage.getItem(KEY);
        } catch {}
      }
      if (!raw) return null;
      if (raw === OUT) return OUT;
      const p = raw.split(".");
      const r = { visitorId: valid(p[0]), shareToken: valid(p[1]), lcid: valid(p[2]), firstTouch: +p[3] || 0, lastTouch: +p[4] || 0 };
      return r.visitorId && r.shareToken ? r : null;
    };
    const save = (r) => {
      const raw = r === OUT ? OUT : [r.visitorId, r.shareToken, r.lcid || "", r.firstTouch, r.lastTouch].join(".");
      try {
        w.localStorage.setItem(KEY, raw);
      } catch {}
      writeCookie(raw, YEAR);
    };

    let state = load();
    let record = state === OUT ? null : state;
    const on = () => !dnt && state !== OUT && (!needConsent || consented || !!record);

    const send = (path, body) => {
      const url = base + path;
      const data = JSON.stringify(body);
      try {
        // text/plain keeps it a "simple" request: no CORS preflight, and sendBeacon may use it.
        if (nav.sendBeacon?.(url, new Blob([data], { type: "text/plain" }))) return;
      } catch {}
      try {
        w.fetch(url, { method: "POST", body: data, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } }).catch(() => {});
      } catch {}
    };

    // The current query string without lcid/lsh, then lsh=<token> (if any). Other parameters keep
    // their exact encoding; nothing reloads.
    const retag = (token) => {
      try {
        const parts = location.search
          .slice(1)
          .split("&")
          .filter((p) => p && !/^(lcid|lsh)(=|$)/.test(p));
        if (token) parts.push(`lsh=${token}`);
        const url = location.pathname + (parts.length ? `?${parts.join("&")}` : "") + location.hash;
        if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
      } catch {}
    };

    // Where the beacon came from, without query or fragment (they may hold personal data).
    const page = () => (location.origin + location.pathname).slice(0, 2048);
    // A visit's page keeps its campaign parameters (UTMs; an ad click id as "1"): a newsletter opened in a
    // webmail is then a newsletter, not a forwarded email. Nothing else of the query leaves the page.
    const campaignPage = () => {
      const kept = [];
      new URLSearchParams(location.search).forEach((v, k) => {
        const key = k.toLowerCase();
        if (/^utm_(source|medium|campaign)$/.test(key)) kept.push(`${key}=${encodeURIComponent(v.slice(0, 100))}`);
        else if (/^(gclid|gbraid|wbraid|dclid|msclkid|fbclid|ttclid|li_fat_id|twclid)$/.test(key)) kept.push(`${key}=1`);
      });
      return (page() + (kept.length ? `?${kept.join("&")}` : "")).slice(0, 2048);
    };

    // document.referrer is another site's: another host, or with data-cookie-domain, a host outside it.
    const external = () => {
      try {
        const ref = new URL(d.referrer);
        const site = (cookieDomain || "").replace(/^\./, "").toLowerCase();
        return ref.host !== location.host && !(site && `.${ref.hostname}`.endsWith(`.${site}`));
      } catch {
        return false; // no referrer
      }
    };
    const reloaded = () => {
      try {
        return performance.getEntriesByType("navigation")[0].type === "reload";
      } catch {
        return false;
      }
    };

    const ensure = (now) => {
      if (!record) record = { visitorId: rid(16), shareToken: rid(10), lcid: null, firstTouch: now, lastTouch: now };
      record.lastTouch = now;
      return record;
    };

    const start = () => {
      if (started || !on()) return;
      started = true;
      const q = new URLSearchParams(location.search);
      const lcid = valid(q.get("lcid"));
      const lsh = valid(q.get("lsh"));
      const now = Date.now();
      const known = record;
      const fresh = !known || now - known.lastTouch > SESSION;
      // Every tracked page view keeps (or starts) the record and moves lastTouch: one cookie write.
      // With data-require-consent, the record is also how the consent is remembered.
      const r = ensure(now);
      if (lcid) r.lcid = lcid;
      save(r);
      const view = { visitorId: r.visitorId, referrer: str(d.referrer, 2048), page: page() };
      if (lcid) {
        send("/t/landing", { visitorId: r.visitorId, lcid, shareToken: r.shareToken, page: view.page });
        retag(r.shareToken);
      } else if (lsh && lsh !== r.shareToken) {
        send("/t/arrival", Object.assign({ shareToken: lsh, ownShareToken: r.shareToken }, view));
        retag(r.shareToken);
      } else {
        // Untagged, or the visitor's own URL (a bookmark): not a re-share, but maybe a new session.
        if (!reloaded() && (fresh || external())) send("/t/visit", Object.assign({}, view, { page: campaignPage() }));
        if (tagAll && known) retag(r.shareToken);
      }
    };

    const context = () => {
      const r = on() ? record : null;
      return { visitorId: r ? r.visitorId : null, lcid: r ? r.lcid : null, shareToken: r ? r.shareToken : null };
    };

    const track = (name, props) => {
      if (name !== "conversion" || !on()) return false;
      const p = props || {};
      const value = typeof p.value === "string" ? Number.parseFloat(p.value) : p.value;
      const c = context();
      send("/t/conversion", {
        type: str(p.type, 64) || "conversion",
        value: typeof value === "number" && Number.isFinite(value) ? value : null,
        currency: str(p.currency, 8),
        id: str(p.id, 200),
        visitorId: c.visitorId,
        lcid: c.lcid,
        shareToken: c.shareToken,
      });
      return true;
    };

    const consent = (yes) => {
      if (yes) {
        if (state === OUT) {
          state = null;
          try {
            w.localStorage.removeItem(KEY);
          } catch {}
          writeCookie("", 0);
        }
        consented = true;
        start();
        return;
      }
      // Off: forget the record (storage and cookie) and the share token in the address bar, and
      // remember the refusal so that later pages stay off.
      record = null;
      state = OUT;
      consented = false;
      started = false;
      try {
        w.localStorage.removeItem("lantern:lcid");
        w.localStorage.removeItem("lantern:lsh");
      } catch {}
      save(OUT);
      retag(null);
    };

    const safe =
      (fn) =>
      (...args) => {
        try {
          return fn(...args);
        } catch {}
      };

    const api = safe((cmd, ...args) => {
      if (typeof cmd === "function") return cmd(api);
      if (cmd === "track") return track(...args);
      if (cmd === "consent") return consent(args[0]);
      if (cmd === "context") return context();
    });
    api.track = safe(track);
    api.context = safe(context);
    api.consent = safe(consent);
    api.lantern = 1;
    w.lantern = api;

    // Calls made through the stub before this script loaded: consent first (it decides whether the
    // page is tracked at all), then the page itself, then the rest in their order.
    const queued = Array.from(prev?.q || [], (args) => Array.from(args));
    for (const args of queued) if (args[0] === "consent") api(...args);
    safe(start)();
    for (const args of queued) if (args[0] !== "consent") api(...args);
  } catch {}
})(window, document);
