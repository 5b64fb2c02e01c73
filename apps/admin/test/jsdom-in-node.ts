/**
 * A DOM for a test file that runs in Vitest's Node environment (`// @vitest-environment node`), for
 * component tests that also run the real server in the same process. Import it before React and
 * Testing Library.
 *
 * Why not the jsdom environment: it transforms modules for the browser, which turns server code's
 * `new URL("../drizzle", import.meta.url)` into an asset URL, so the database package cannot find its
 * migrations. And jsdom's own ArrayBuffer and typed arrays replace Node's: server code (esbuild,
 * libSQL) checks `instanceof Uint8Array` against Node's, so those stay Node's here.
 */
import { afterAll } from "vitest";
import { builtinEnvironments } from "vitest/runtime";

const NODE_BINARY_TYPES = ["ArrayBuffer", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray"] as const;
const g = globalThis as unknown as Record<string, unknown>;
const nodeTypes = NODE_BINARY_TYPES.map((name) => [name, g[name]] as const);

const { teardown } = await builtinEnvironments.jsdom.setup(globalThis, {});
for (const [name, type] of nodeTypes) g[name] = type;

afterAll(() => teardown(globalThis));
