import { createHash } from "node:crypto";

/**
 * The hosted page's only stylesheet, inline so the page needs no other request. The CSP allows exactly
 * this text by its hash, so no other inline style can run. Colours keep text contrast at 4.5:1 or more
 * on white (#1a1a1a 17:1, #4b5563 7.6:1, #1d4ed8 6.7:1 with white text, #b91c1c 6.5:1).
 * "Other" and follow-up text boxes are revealed by CSS when their option is checked: no script needed.
 */
export const HOSTED_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;background:#f4f4f5}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:12px;padding:1.5rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{padding:0;float:left;width:100%}
legend+*{clear:both}
.opt{display:flex;flex-wrap:wrap;align-items:center;gap:0 .75rem;margin:.5rem 0;padding:0 .875rem;border:1px solid #6b7280;border-radius:8px}
.opt:has(input:checked){border-color:#1d4ed8;background:#eff6ff;box-shadow:inset 0 0 0 1px #1d4ed8}
.opt input[type=radio]{width:1.25rem;height:1.25rem;margin:0;accent-color:#1d4ed8;flex:none}
.opt>label{flex:1;min-width:0;padding:.75rem 0;cursor:pointer}
.more{display:none;flex-basis:100%;padding:0 0 .875rem}
.opt input:checked~.more{display:block}
.more label{display:block;font-size:.9375rem}
.hint{color:#4b5563;font-size:.875rem}
input[type=text]{display:block;width:100%;font:inherit;color:#1a1a1a;background:#fff;padding:.625rem .75rem;margin-top:.25rem;border:1px solid #6b7280;border-radius:6px}
button{font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:8px;padding:.75rem 1.5rem;margin-top:1rem;min-height:2.75rem;width:100%;cursor:pointer}
button:hover{background:#1e40af}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.opt input[type=radio]:focus-visible{outline-offset:3px}
.error{color:#b91c1c;font-weight:600;margin:0 0 .75rem}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.done{text-align:center}
@media (min-width:30rem){main{padding:3rem 1.5rem}.card{padding:2rem}button{width:auto}}
@media (forced-colors:active){.opt:has(input:checked){outline:2px solid CanvasText}}`;

export const HOSTED_CSS_HASH = `sha256-${createHash("sha256").update(HOSTED_CSS).digest("base64")}`;

/** No scripts, no external anything; the one stylesheet by hash; forms post only back here. */
export const HOSTED_CSP = [
  "default-src 'none'",
  `style-src '${HOSTED_CSS_HASH}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
].join("; ");
