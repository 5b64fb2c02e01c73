import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The SPA. `vite build` writes dist/ (served by the admin server), with a manifest that the
 * bundle-size check reads. `vite dev` proxies the API to a running admin server (ADMIN_PORT 3000).
 */
const adminServer = "http://127.0.0.1:3000";

/**
 * In development the Vite server stands in for the admin origin, so the proxied request carries the
 * admin server's own Origin (the server refuses writes from other origins).
 */
const toAdmin = {
  target: adminServer,
  changeOrigin: true,
  configure(proxy: { on(event: "proxyReq", listener: (req: { getHeader(name: string): unknown; setHeader(name: string, value: string): void }) => void): unknown }) {
    proxy.on("proxyReq", (req) => {
      if (req.getHeader("origin")) req.setHeader("origin", adminServer);
    });
  },
};

export default defineConfig({
  base: "/",
  plugins: [react({ jsxImportSource: "react" })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: "es2022",
  },
  server: {
    proxy: {
      "/api": toAdmin,
      "/healthz": toAdmin,
    },
  },
});
