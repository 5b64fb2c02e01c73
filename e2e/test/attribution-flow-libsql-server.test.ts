import { attributionFlow } from "../src/attribution-flow.ts";

// The same flow and the same hand-worked numbers with every service on a libSQL server (sqld over
// HTTP, DATABASE_URL=http://127.0.0.1:<port>): the set-up for more than one machine (README, "Scaling").
attributionFlow("libsql-server");
