/*
 * The Lantern survey widget. ES2017 browser JavaScript, no dependencies, minified by the service at
 * start-up (routes/widget.ts). Everything it draws lives in a Shadow DOM, so the site's CSS can neither
 * break it nor be broken by it.
 *
 * Embed: <script src="https://surveys.example.com/widget.js" data-survey="ID" async></script>
 *   data-trigger="manual": load only; open from code with Lantern.survey.open({ surveyId, conversion }).
 *   data-locale="de": the survey's language (default: the page's <html lang>, else the browser's).
 * It shows once per visitor until answered or dismissed (localStorage); a dismissal is a skip, not an
 * answer. The click id / visitor id / share token come from the site tracker (window.lantern.context())
 * when present, else from ?lcid= / ?lsh= in the address, else from what an earlier page kept.
 */
(() => {
  const w = window;
  const d = document;
  const script = d.currentScript;
  w.Lantern = w.Lantern || {};
  const L = w.Lantern;
  if (L.survey?.open) return; // loaded twice: the first copy stays in charge
  const base = script?.src ? script.src.replace(/\/widget\.js(\?.*)?$/, "") : "";
  const ID = /^[A-Za-z0-9_-]{1,64}$/;
  let current = null;

  const ok = (v) => (typeof v === "string" && ID.test(v) ? v : null);
  const get = (k) => {
    try {
      return localStorage.getItem(`lantern:${k}`);
    } catch {
      return null;
    }
  };
  const put = (k, v) => {
    try {
      localStorage.setItem(`lantern:${k}`, v);
    } catch {
      // storage blocked: the survey may show again, nothing worse
    }
  };
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  const context = () => {
    // The visitor told the site tracker no (it then stores "-"): carry no identifiers at all.
    if (get("visitor") === "-") return { lcid: null, visitorId: null, shareToken: null };
    let c = {};
    try {
      if (typeof w.lantern?.context === "function") c = w.lantern.context() || {};
    } catch {
      // a broken tracker must not break the survey
    }
    const q = new URLSearchParams(location.search);
    const lcid = ok(c.lcid) || ok(q.get("lcid")) || ok(get("lcid"));
    const lsh = ok(c.shareToken) || ok(q.get("lsh")) || ok(get("lsh"));
    if (lcid) put("lcid", lcid);
    if (lsh) put("lsh", lsh);
    return { lcid, visitorId: ok(c.visitorId), shareToken: lsh };
  };

  // text/plain keeps these "simple" requests: no CORS preflight.
  const post = (path, body) =>
    fetch(base + path, { method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body), keepalive: true, credentials: "omit" });

  const CSS = `:host{all:initial}*{box-sizing:border-box}
.bd{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:2147483646}
.dlg{position:fixed;left:50%;top:50%;transform:translate(-50%,-50%);z-index:2147483647;width:min(28rem,calc(100vw - 1.5rem));max-height:calc(100vh - 1.5rem);overflow:auto;background:#fff;color:#1a1a1a;border-radius:12px;padding:1.25rem;box-shadow:0 10px 30px rgba(0,0,0,.3);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;text-align:start}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{padding:0 2rem 0 0;font-size:1.125rem;font-weight:700;margin-bottom:.5rem}
.opt{display:flex;flex-wrap:wrap;align-items:center;gap:0 .625rem;margin:.375rem 0;padding:0 .75rem;border:1px solid #6b7280;border-radius:8px}
.opt input[type=radio]{width:1.125rem;height:1.125rem;margin:0;accent-color:#1d4ed8}
.opt>label{flex:1;padding:.55rem 0;cursor:pointer}
.more{display:none;flex-basis:100%;padding:0 0 .625rem;font-size:.9375rem}
.opt input:checked~.more{display:block}
input[type=text]{display:block;width:100%;font:inherit;color:#1a1a1a;background:#fff;padding:.5rem .625rem;margin-top:.25rem;border:1px solid #6b7280;border-radius:6px}
button{font:inherit;cursor:pointer}
.go{font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:8px;padding:.625rem 1.25rem;margin-top:.75rem;min-height:2.75rem}
.x{position:absolute;top:.5rem;right:.5rem;width:2.5rem;height:2.5rem;border:0;border-radius:8px;background:transparent;color:#1a1a1a;font-size:1.5rem;line-height:1}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.err{color:#b91c1c;font-weight:600;margin:.5rem 0 0}.err:empty{display:none}.hint{color:#4b5563}`;

  const markup = (s) => {
    let html = `<div class=bd></div><div class=dlg role=dialog aria-modal=true aria-label="${esc(s.question)}"><button type=button class=x aria-label="${esc(s.ui.close)}">&times;</button><form novalidate><fieldset><legend>${esc(s.question)}</legend>`;
    s.options.forEach((o, i) => {
      html += `<div class=opt><input type=radio name=o id=o${i} value="${esc(o.id)}"><label for=o${i}>${esc(o.label)}</label>`;
      if (o.kind === "other") html += `<div class=more><label for=ot>${esc(s.ui.otherPrompt)}</label><input type=text id=ot maxlength=500 autocomplete=off></div>`;
      if (o.followUp) html += `<div class=more><label for=f${i}>${esc(o.followUp)} <span class=hint>(${esc(s.ui.followUpHint)})</span></label><input type=text id=f${i} maxlength=500 autocomplete=off></div>`;
      html += "</div>";
    });
    return `${html}</fieldset><p class=err role=alert></p><button type=submit class=go>${esc(s.ui.submit)}</button></form></div>`;
  };

  const render = (s, ctx, opts) => {
    const host = d.createElement("div");
    host.setAttribute("data-lantern-survey", s.id);
    const root = host.attachShadow({ mode: "open" });
    const idem = `w${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const before = d.activeElement;
    let answered = false;
    let html = markup(s);
    // Constructed stylesheets are not inline <style>, so a strict CSP on the site does not block them.
    if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else html = `<style>${CSS}</style>${html}`;
    root.innerHTML = html;
    const $ = (sel) => root.querySelector(sel);
    const form = $("form");
    const err = $(".err");

    const close = () => {
      d.removeEventListener("keydown", onKey, true);
      host.remove();
      current = null;
      try {
        before?.focus?.();
      } catch {
        // the element is gone
      }
    };
    const dismiss = () => {
      if (!answered) {
        put(`done:${s.id}`, "dismissed");
        post("/v1/skips", { surveyId: s.id, lcid: ctx.lcid, visitorId: ctx.visitorId }).catch(() => {});
      }
      close();
    };
    // Esc dismisses; Tab cycles between the first and last buttons, so focus stays inside (aria-modal).
    const onKey = (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        dismiss();
        return;
      }
      if (e.key !== "Tab") return;
      const b = root.querySelectorAll("button:not([disabled])");
      const first = b[0];
      const last = b[b.length - 1];
      const at = root.activeElement;
      if (e.shiftKey ? at === first || !at : at === last || !at) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    };
    d.addEventListener("keydown", onKey, true);
    $(".x").addEventListener("click", dismiss);
    $(".bd").addEventListener("click", dismiss);

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const picked = root.querySelector("input[name=o]:checked");
      if (!picked) {
        err.textContent = s.ui.chooseAnswer;
        return;
      }
      const i = s.options.findIndex((o) => o.id === picked.value);
      const o = s.options[i];
      const body = { surveyId: s.id, optionId: o.id, locale: s.locale, lcid: ctx.lcid, visitorId: ctx.visitorId, shareToken: ctx.shareToken, idempotencyKey: idem };
      const other = $("#ot")?.value.trim();
      const fu = root.getElementById(`f${i}`)?.value.trim();
      if (o.kind === "other" && other) body.otherText = other.slice(0, 500);
      if (fu) body.followUpText = fu.slice(0, 500);
      if (opts.conversion) body.conversion = opts.conversion;
      if (opts.respondent) body.respondent = opts.respondent;
      const go = $(".go");
      go.disabled = true;
      post("/v1/responses", body)
        .then((r) => {
          if (r.status !== 202) throw r;
          answered = true;
          put(`done:${s.id}`, "answered");
          form.innerHTML = `<p role=status>${esc(s.thankYou)}</p>`;
          $(".x").focus();
          setTimeout(() => current === host && close(), 4000);
        })
        .catch(() => {
          go.disabled = false;
          err.textContent = s.ui.chooseAnswer;
        });
    });

    d.body.appendChild(host);
    current = host;
    $("input[type=radio]")?.focus();
    post("/v1/views", { surveyId: s.id, lcid: ctx.lcid, visitorId: ctx.visitorId, placement: "widget" }).catch(() => {});
  };

  /** Opens the survey unless this visitor answered or dismissed it already. Resolves true when shown. */
  const open = (opts = {}) => {
    const id = ok(opts.surveyId);
    if (!id || current || (!opts.force && get(`done:${id}`))) return Promise.resolve(false);
    const ctx = context();
    const locale = opts.locale || d.documentElement.lang || "";
    return fetch(`${base}/v1/surveys/${id}${locale ? `?locale=${encodeURIComponent(locale)}` : ""}`, { credentials: "omit" })
      .then((r) => (r.ok ? r.json() : null))
      .then((s) => {
        if (!s || current || !d.body) return false;
        render(s, ctx, opts);
        return true;
      })
      .catch(() => false);
  };

  L.survey = { open };
  const auto = script?.getAttribute("data-survey");
  if (auto && script.getAttribute("data-trigger") !== "manual") {
    const go = () => open({ surveyId: auto, locale: script.getAttribute("data-locale") || undefined });
    if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", go);
    else go();
  }
  try {
    d.dispatchEvent(new Event("lantern:survey-ready"));
  } catch {
    // very old browsers
  }
})();
