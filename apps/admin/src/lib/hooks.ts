import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { type DateRange, rangeFromParams, rangeToParams } from "./range.ts";

/** The shared date range from the URL, and a setter that keeps the rest of the query. */
export function useRange(): [DateRange, (next: Pick<DateRange, "preset" | "from" | "to">) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const range = useMemo(() => rangeFromParams(params), [key]);
  const setRange = useCallback((next: Pick<DateRange, "preset" | "from" | "to">) => setParams((prev) => rangeToParams(next, prev)), [setParams]);
  return [range, setRange];
}

/** One query-string parameter as state (filters, tabs), so views can be linked to. */
export function useParam(name: string, fallback = ""): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? fallback;
  const set = useCallback(
    (next: string) =>
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          if (next === "" || next === fallback) p.delete(name);
          else p.set(name, next);
          return p;
        },
        { replace: true },
      ),
    [name, fallback, setParams],
  );
  return [value, set];
}

/** Sets several query-string parameters in one navigation (separate setters would overwrite each other). */
export function useSetParams(): (patch: Record<string, string>) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (patch: Record<string, string>) =>
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          for (const [name, value] of Object.entries(patch)) {
            if (value === "") p.delete(name);
            else p.set(name, value);
          }
          return p;
        },
        { replace: true },
      ),
    [setParams],
  );
}
