import { createServer } from "node:http";

/**
 * The baseline: a bare node:http server answering every request with the same kind of 302 the links
 * service sends (a Location of similar length, Cache-Control), doing nothing else.
 */
const location = "https://shop.example/launch?x=1&utm_source=whatsapp&utm_medium=messaging&utm_campaign=launch&lcid=AAAAAAAAAAAAAAAA#top";
const server = createServer((_req, res) => {
  res.writeHead(302, { location, "cache-control": "private, no-store" });
  res.end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ msg: "listening", port: typeof address === "object" && address ? address.port : 0 }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
