import { integer, text } from "drizzle-orm/sqlite-core";

/** Times are stored as epoch milliseconds: cheap to compare, bucket and index. */
export const epochMs = (name: string) => integer(name, { mode: "number" });
/** JSON stored as text; the type parameter documents the shape. */
export const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();
