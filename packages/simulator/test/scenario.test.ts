import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario, parseScenario, SCENARIOS_DIR } from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "lantern-scenario-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: the tests break a scenario on purpose, field by field.
type Loose = Record<string, any>;
const shipped = (): Loose => JSON.parse(JSON.stringify(loadScenario(join(SCENARIOS_DIR, "b2c-shop.json"))));

/** Writes `data` as a scenario file and returns the error loadScenario throws for it. */
function errorFor(data: unknown, name = "bad.json"): string {
  const file = join(dir, name);
  writeFileSync(file, typeof data === "string" ? data : JSON.stringify(data));
  try {
    loadScenario(file);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the scenario to be refused");
}

describe("scenario files", () => {
  it.each(["b2c-shop", "b2b-saas", "media-site", "demo"])("the shipped scenario %s is valid", (name) => {
    const s = loadScenario(join(SCENARIOS_DIR, `${name}.json`));
    expect(s.name).toBe(name);
    expect(s.traffic.mix.reduce((sum, m) => sum + m.share, 0)).toBeCloseTo(1, 6);
  });

  it("a missing field is named by its JSON path, with the file", () => {
    const s = shipped();
    delete s.sharing.openRate;
    const message = errorFor(s, "missing.json");
    expect(message).toContain(join(dir, "missing.json"));
    expect(message).toContain("sharing.openRate: missing (expected number)");
  });

  it("a value of the wrong type is named by its path, array indexes included", () => {
    const s = shipped();
    s.traffic.mix[2].share = "five percent";
    expect(errorFor(s)).toMatch(/traffic\.mix\[2\]\.share: .*expected number, received string/);
  });

  it("probabilities outside 0..1 are refused", () => {
    const s = shipped();
    s.apps.whatsapp.stripReferrer = 1.5;
    s.survey.response.byChannel.messaging = -0.1;
    const message = errorFor(s);
    expect(message).toContain("apps.whatsapp.stripReferrer: must be a probability (0 to 1)");
    expect(message).toContain("survey.response.byChannel.messaging: must be a probability (0 to 1)");
  });

  it("a traffic mix that does not add up to 1 is refused with its sum", () => {
    const s = shipped();
    s.traffic.mix[0].share += 0.05;
    expect(errorFor(s)).toContain("traffic.mix: shares add up to 1.05; they must add up to 1");
  });

  it("weights must be positive", () => {
    const s = shipped();
    s.sharing.apps.whatsapp = 0;
    s.answers.locales.es = -1;
    const message = errorFor(s);
    expect(message).toContain("sharing.apps.whatsapp: must be greater than 0");
    expect(message).toContain("answers.locales.es: must be greater than 0");
  });

  it("every problem is listed at once, not only the first", () => {
    const s = shipped();
    s.days = 0;
    s.visitors = "many";
    s.conversion.value.currency = "euros";
    const lines = errorFor(s).split("\n").filter((l) => l.startsWith("  - "));
    expect(lines.map((l) => l.split(":")[0])).toEqual(expect.arrayContaining(["  - days", "  - visitors", "  - conversion.value.currency"]));
  });

  it("apps the mix, the sharing or a share kit name must exist", () => {
    const s = shipped();
    s.traffic.mix[0].app = "myspace";
    s.sharing.apps.icq = 3;
    s.campaigns[0].shareKit.push("orkut");
    const message = errorFor(s);
    expect(message).toContain('traffic.mix[0].app: unknown app "myspace"');
    expect(message).toContain('sharing.apps.icq: unknown app "icq"');
    expect(message).toMatch(/campaigns\[0\]\.shareKit\[5\]: unknown app "orkut"/);
  });

  it("an app that unfurls needs user agents to unfurl with", () => {
    const s = shipped();
    s.apps.myapp = { channel: "messaging", unfurl: 0.5 };
    expect(errorFor(s)).toContain('apps.myapp.unfurlAgents: no preview user agents are known for "myapp"');
    s.apps.myapp.unfurlAgents = ["MyAppPreview/1.0"];
    expect(() => parseScenario(s)).not.toThrow();
  });

  it("unknown keys are refused, so a typo does not silently fall back to a default", () => {
    const s = shipped();
    s.sharing.openRat = 0.4;
    expect(errorFor(s)).toContain('sharing: Unrecognized key: "openRat"');
  });

  it("a file that is not JSON says so, with the file name", () => {
    expect(errorFor("{ not json", "broken.json")).toMatch(/^Scenario .*broken\.json is not valid JSON/);
  });

  it("a file that does not exist says so", () => {
    expect(() => loadScenario(join(dir, "nope.json"))).toThrow(/Cannot read scenario .*nope\.json/);
  });
});
