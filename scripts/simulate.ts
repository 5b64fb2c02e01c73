// `pnpm simulate`: drive a running Lantern with a simulated world (see packages/simulator/src/cli.ts).
import { main } from "../packages/simulator/src/cli.ts";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[simulate] ${(err as Error).message}\n`);
    process.exit(1);
  },
);
