import { useEffect, useState } from "react";

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure origin, permissions): fall back to a selection copy.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** Copies a value; says "Copied" for two seconds, also to screen readers. */
export function CopyButton({ value, label = "Copy", what }: { value: string; label?: string; what?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost copy-btn"
      aria-label={what ? `${label} ${what}` : label}
      onClick={async () => setState((await copyText(value)) ? "copied" : "failed")}
    >
      <span aria-hidden="true">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
      <span className="sr-only" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Could not copy; select the text instead" : ""}
      </span>
    </button>
  );
}

/** A value in monospace with its copy button: short URLs, keys, snippets. */
export function CopyField({ value, what }: { value: string; what: string }) {
  return (
    <div className="copy-field">
      <code className="copy-value">{value}</code>
      <CopyButton value={value} what={what} />
    </div>
  );
}
