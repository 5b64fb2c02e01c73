import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, requireScope } from "@lantern/http";
import QRCode from "qrcode";
import type { LinksDeps } from "../deps.ts";
import { findLinkById } from "../links/repo.ts";
import { shortUrlOf } from "../links/serialize.ts";
import { router } from "./router.ts";
import { errors, IdParam, QrQuery } from "./schemas.ts";

const qrRoute = createRoute({
  method: "get",
  path: "/api/links/{id}/qr",
  tags: ["links"],
  summary: "A QR code of the short URL",
  security: [{ bearer: [] }],
  middleware: [requireScope("links:read")] as const,
  request: { params: IdParam, query: QrQuery },
  responses: {
    200: {
      content: { "image/svg+xml": { schema: z.string() }, "image/png": { schema: z.string().openapi({ format: "binary" }) } },
      description: "The QR code",
    },
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

export function qrRoutes({ db, config }: LinksDeps) {
  const app = router();
  app.openapi(qrRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { format, size } = c.req.valid("query");
    const link = await findLinkById(db, id);
    if (!link) throw new ApiError(404, "not_found", `No link with id "${id}".`);
    const url = shortUrlOf(config.publicUrl, link.slug);
    const options = { errorCorrectionLevel: "M" as const, margin: 2, width: size };
    const headers = { "cache-control": "private, max-age=300", "content-disposition": `inline; filename="${link.slug}.${format}"` };
    if (format === "png") {
      const png = await QRCode.toBuffer(url, { ...options, type: "png" });
      return c.body(new Uint8Array(png), 200, { ...headers, "content-type": "image/png" });
    }
    const svg = await QRCode.toString(url, { ...options, type: "svg" });
    return c.body(svg, 200, { ...headers, "content-type": "image/svg+xml" });
  });
  return app;
}
