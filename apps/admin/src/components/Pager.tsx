import { useCallback, useState } from "react";

/** Cursor pagination: the cursors of the pages seen so far, so "Previous" works too. */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key: resetKey, stack: [undefined] });
  const stack = state.key === resetKey ? state.stack : [undefined];
  const cursor = stack[stack.length - 1];
  const next = useCallback((nextCursor: string) => setState({ key: resetKey, stack: [...stack, nextCursor] }), [resetKey, stack]);
  const prev = useCallback(() => setState({ key: resetKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }), [resetKey, stack]);
  return { cursor, page: stack.length, next, prev };
}

export function Pager({
  page,
  nextCursor,
  onNext,
  onPrev,
  busy,
  of,
}: {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (c: string) => void;
  onPrev: () => void;
  busy?: boolean;
  /** With the number of rows over all pages and the page size: "Page 2 of 41". */
  of?: { total: number; pageSize: number };
}) {
  if (page === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-small" onClick={onPrev} disabled={page <= 1 || busy}>
        ← Previous
      </button>
      <span className="muted small" aria-live="polite">
        Page {page}
        {of ? ` of ${Math.max(1, Math.ceil(of.total / of.pageSize))}` : ""}
      </span>
      <button type="button" className="btn btn-small" onClick={() => nextCursor && onNext(nextCursor)} disabled={!nextCursor || busy}>
        Next →
      </button>
    </nav>
  );
}
