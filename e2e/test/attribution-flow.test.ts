import { attributionFlow } from "../src/attribution-flow.ts";

// Issue 5, acceptance 2, on the default database: a libSQL file (see src/attribution-flow.ts).
attributionFlow("file");
