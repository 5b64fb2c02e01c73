import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { createApi } from "./lib/api.ts";
import { createQueryClient, Providers } from "./providers.tsx";
import { routes } from "./routes.tsx";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");

const router = createBrowserRouter(routes);

createRoot(root).render(
  <StrictMode>
    <Providers api={createApi()} queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
