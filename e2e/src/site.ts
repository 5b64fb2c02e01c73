import { createServer, type Server } from "node:http";

/**
 * A marketer's own site, on its own port (its own origin): a product page that embeds Lantern the
 * documented way (lantern.js from the links service, the survey widget from the survey service) and a
 * "Buy" button that reports the order to the tracker and opens the survey with it.
 */

export interface Site {
  url: string;
  /** The product page: the destination of the share kit. */
  shop: string;
  close(): Promise<void>;
}

export interface SiteOptions {
  links: string;
  surveys: string;
  surveyId: string;
  /** The order the Buy button reports (the page's `?order=<id>` gives another id: a second buyer's). */
  order: { id: string; value: number; currency: string };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function shopPage(o: SiteOptions): string {
  const order = JSON.stringify({ type: "purchase", value: o.order.value, currency: o.order.currency, id: o.order.id });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Night lamp – Lumen shop</title>
<script>window.lantern=window.lantern||function(){(lantern.q=lantern.q||[]).push(arguments)};</script>
<script async src="${esc(o.links)}/lantern.js"></script>
<script async src="${esc(o.surveys)}/widget.js" data-survey="${esc(o.surveyId)}" data-trigger="manual"></script>
</head>
<body>
<main>
<h1>Night lamp</h1>
<p>A lamp for dark rooms.</p>
<button id="buy" type="button">Buy for ${o.order.value} ${esc(o.order.currency)}</button>
<p id="bought" role="status"></p>
</main>
<script>
document.getElementById("buy").addEventListener("click", function () {
  var order = ${order};
  order.id = new URLSearchParams(location.search).get("order") || order.id;
  lantern("track", "conversion", order);
  document.getElementById("bought").textContent = "Thank you for your order.";
  Lantern.survey.open({ surveyId: ${JSON.stringify(o.surveyId)}, conversion: order });
});
</script>
</body>
</html>`;
}

export async function startSite(options: SiteOptions): Promise<Site> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/shop") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(shopPage(options));
      return;
    }
    if (path === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("site: no port");
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    shop: `${url}/shop`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
