// "Reconcile now", failed-job retry, and the viewer's view of System.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { SystemStatus } from "../src/lib/types.ts";
import { SystemPage } from "../src/pages/System.tsx";
import { fakeServer, renderPage, VIEWER } from "./ui-harness.tsx";

afterEach(cleanup);

const status: SystemStatus = {
  redis: "ok",
  queues: [
    { queue: "events", name: "lantern-events", counts: { waiting: 3, active: 1, delayed: 0, completed: 940, failed: 1, prioritized: 0, "waiting-children": 0 } },
    { queue: "reconcile", name: "lantern-reconcile", counts: { waiting: 0, active: 0, delayed: 0, completed: 12, failed: 0, prioritized: 0, "waiting-children": 0 } },
    { queue: "prune", name: "lantern-prune", counts: { waiting: 0, active: 0, delayed: 1, completed: 4, failed: 0, prioritized: 0, "waiting-children": 0 } },
  ],
  failed: [{ queue: "events", id: "b_9f8e7d", name: "batch", failedReason: "SQLITE_BUSY: database is locked", attemptsMade: 8, timestamp: Date.UTC(2024, 5, 1), finishedOn: Date.UTC(2024, 5, 1, 0, 1) }],
  lastReconcile: null,
  reconcileCheckedAt: null,
  retention: { retentionDays: 30, prunedBefore: Date.UTC(2024, 4, 2), lastPrunedAt: Date.UTC(2024, 5, 1, 3, 0) },
};

describe("the system page", () => {
  it("queues a reconcile and polls it every second until it has completed", async () => {
    let polls = 0;
    const server = fakeServer()
      .on("GET", "/api/system", { body: status })
      .on("POST", "/api/reconcile", { status: 202, body: { jobId: "manual-1-x" } })
      .on("GET", "/api/reconcile/manual-1-x", () => {
        polls++;
        return {
          body: {
            jobId: "manual-1-x",
            state: polls < 2 ? "active" : "completed",
            progress: 50,
            createdAt: 1,
            processedAt: 2,
            finishedAt: polls < 2 ? null : Date.UTC(2024, 5, 1, 12, 0),
            failedReason: null,
            result: polls < 2 ? null : { mode: "incremental", conversions: 12, quiet: false },
          },
        };
      });
    const user = userEvent.setup({ delay: null });
    renderPage(<SystemPage />, { server, path: "/system" });
    await user.click(await screen.findByRole("button", { name: "Reconcile now" }));
    expect(await screen.findByText(/Reconcile finished at Jun 1, 2024, 12:00 UTC: 12 conversions reconciled\./, {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(server.sent("POST", "/api/reconcile")[0]!.body).toEqual({ mode: "incremental" });
    expect(server.sent("POST", "/api/reconcile")[0]!.headers["x-csrf-token"]).toBe("csrf-123");
    const pollsAtEnd = polls;
    expect(pollsAtEnd).toBeGreaterThanOrEqual(2);
    expect(screen.getByRole("button", { name: "Reconcile now" })).toBeEnabled();
  });

  it("a run that found nothing new says so, and the last run's card says when runs last looked", async () => {
    const ran = Date.UTC(2024, 5, 1, 9, 0);
    const quietStatus: SystemStatus = {
      ...status,
      lastReconcile: { lastRunAt: ran, lastRunMs: 800, lastRunConversions: 40, watermark: ran, linksWatermark: ran, rulesetVersion: "reconcile-2025.2" },
      reconcileCheckedAt: Date.now() - 60_000,
    };
    const server = fakeServer()
      .on("GET", "/api/system", { body: quietStatus })
      .on("POST", "/api/reconcile", { status: 202, body: { jobId: "q1" } })
      .on("GET", "/api/reconcile/q1", { body: { jobId: "q1", state: "completed", progress: 100, createdAt: 1, processedAt: 2, finishedAt: Date.UTC(2024, 5, 1, 12, 0), failedReason: null, result: { mode: "incremental", conversions: 0, quiet: true } } });
    const user = userEvent.setup({ delay: null });
    renderPage(<SystemPage />, { server, path: "/system" });
    const figures = await screen.findByLabelText("System figures");
    expect(figures).toHaveTextContent("Jun 1, 2024, 09:00 UTC, 800 ms; checked 1 minute ago, nothing new since");
    await user.click(screen.getByRole("button", { name: "Reconcile now" }));
    expect(await screen.findByText(/Reconcile finished at Jun 1, 2024, 12:00 UTC: nothing new since the last run\./, {}, { timeout: 10_000 })).toBeInTheDocument();
  });

  it("shows a failed reconcile with its reason", async () => {
    const server = fakeServer()
      .on("GET", "/api/system", { body: status })
      .on("POST", "/api/reconcile", { status: 202, body: { jobId: "j2" } })
      .on("GET", "/api/reconcile/j2", { body: { jobId: "j2", state: "failed", progress: 0, createdAt: 1, processedAt: 2, finishedAt: 3, failedReason: "database is locked", result: null } });
    const user = userEvent.setup({ delay: null });
    renderPage(<SystemPage />, { server, path: "/system" });
    await user.click(await screen.findByRole("button", { name: "Full re-run" }));
    expect(await screen.findByText("Reconcile failed: database is locked.")).toBeInTheDocument();
    expect(server.sent("POST", "/api/reconcile")[0]!.body).toEqual({ mode: "full" });
  });

  it("lists queue counts and retries a failed job", async () => {
    const server = fakeServer().on("GET", "/api/system", { body: status }).on("POST", "/api/system/failed/events/b_9f8e7d/retry", { body: { ok: true, jobId: "b_9f8e7d" } });
    const user = userEvent.setup({ delay: null });
    renderPage(<SystemPage />, { server, path: "/system" });
    const queues = await screen.findByRole("table", { name: "Jobs per queue and state" });
    expect(within(queues).getByRole("rowheader", { name: /events/ }).closest("tr")).toHaveTextContent("940");
    await user.click(screen.getByRole("button", { name: "Retry job b_9f8e7d" }));
    expect(await screen.findByText("Job b_9f8e7d is queued again.")).toBeInTheDocument();
  });

  it("says how far back raw events are kept, and when the worker has not pruned yet", async () => {
    const server = fakeServer().on("GET", "/api/system", { body: status });
    renderPage(<SystemPage />, { server, path: "/system" });
    const figures = await screen.findByLabelText("System figures");
    expect(figures).toHaveTextContent("Raw events kept (30 days)");
    expect(figures).toHaveTextContent("since May 2, 2024");
    expect(within(screen.getByRole("table", { name: "Jobs per queue and state" })).getByRole("rowheader", { name: /prune/ })).toBeInTheDocument();
    cleanup();

    const fresh = fakeServer().on("GET", "/api/system", { body: { ...status, retention: { retentionDays: 395, prunedBefore: null, lastPrunedAt: null } } });
    renderPage(<SystemPage />, { server: fresh, path: "/system" });
    const again = await screen.findByLabelText("System figures");
    expect(again).toHaveTextContent("Raw events kept (395 days)");
    expect(again).toHaveTextContent("all");
    expect(again).toHaveTextContent("the worker has not pruned yet");
  });

  it("tells a viewer the system status is for admins", async () => {
    const server = fakeServer(VIEWER);
    renderPage(<SystemPage />, { server, path: "/system" });
    expect(await screen.findByText("Only admins see the system status.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Reconcile now" })).not.toBeInTheDocument();
  });
});
