/**
 * The README's picture (issue 6, acceptance 4): the overview page with the demo data, 1440x900.
 *
 *   pnpm --filter @lantern/e2e screenshot          (or: cd e2e && npx tsx scripts/screenshot.ts)
 *
 * Builds the admin SPA if needed, starts the four services on a temporary database and queue prefix
 * (needs Redis at REDIS_URL, default 127.0.0.1:6379), loads the demo world (`seedDemo` from
 * @lantern/simulator/demo: 90 days, ~20,000 clicks, ~2,000 orders, ~800 answers) and reconciles it,
 * signs in in Debian's Chromium and saves docs/screenshots/overview.png. Everything it started is
 * stopped and removed afterwards.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { seedDemo } from "@lantern/simulator/demo";
import { launchChromium } from "../src/browser.ts";
import { REPO_ROOT, startLantern } from "../src/services.ts";
import { ensureSpaBuilt } from "../src/spa.ts";

const OUT = join(REPO_ROOT, "docs", "screenshots", "overview.png");
const VIEWPORT = { width: 1440, height: 900 };
const say = (msg: string) => console.log(`[screenshot] ${msg}`);

async function main(): Promise<void> {
  const spaDir = await ensureSpaBuilt(say);
  say("starting the services");
  const lantern = await startLantern({ spaDir });
  try {
    const demo = await seedDemo({
      log: say,
      env: { ...lantern.env, LINKS_INTERNAL_URL: lantern.links, SURVEYS_INTERNAL_URL: lantern.surveys, ADMIN_INTERNAL_URL: lantern.admin },
    });
    say(`demo: ${demo.clicks} clicks, ${demo.conversions} conversions, ${demo.answers} answers`);

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      context.setDefaultTimeout(120_000);
      const page = await context.newPage();
      await page.goto(`${lantern.admin}/sign-in`);
      await page.getByLabel("Email").fill(lantern.adminEmail);
      await page.getByLabel("Password").fill(lantern.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      // The whole demo world: 90 days, drawn by week.
      await page.goto(`${lantern.admin}/?range=90d`);
      await page.getByLabel("Key figures").waitFor();
      // Both charts drawn (their SVGs are role="img" with the caption as name), no spinner left.
      await page.getByRole("img", { name: /^Dark share of conversions over time/ }).waitFor();
      await page.getByRole("img", { name: /^Attribution gap/ }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[role="status"][aria-live="polite"]'));
      await page.waitForLoadState("networkidle");
      mkdirSync(dirname(OUT), { recursive: true });
      await page.screenshot({ path: OUT, fullPage: false });
      say(`saved ${OUT}`);
    } finally {
      await browser.close();
    }
  } finally {
    await lantern.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
