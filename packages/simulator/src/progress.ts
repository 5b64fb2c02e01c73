/**
 * A one-line progress bar on stderr (plain ANSI: carriage return and erase-line). When stderr is not a
 * terminal (CI, a log file) it prints a plain line every 10% instead, so logs stay readable.
 */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  done(message?: string): void;
}

export function progressBar(title: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  let lastDraw = 0;
  let lastDecile = -1;
  let lastLabel = "";
  const width = 30;
  const fmt = (n: number) => n.toLocaleString("en-US");
  return {
    update(done, total, label = "") {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const now = Date.now();
      if (tty) {
        if (now - lastDraw < 80 && ratio < 1 && label === lastLabel) return;
        lastDraw = now;
        lastLabel = label;
        const filled = Math.round(ratio * width);
        const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
        const secs = ((now - started) / 1000).toFixed(1);
        stream.write(`\r\x1b[2K${title} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(total)} ${label} ${secs}s`);
      } else {
        const decile = Math.floor(ratio * 10);
        if (decile === lastDecile && label === lastLabel) return;
        lastDecile = decile;
        lastLabel = label;
        stream.write(`${title} ${(ratio * 100).toFixed(0)}% ${fmt(done)}/${fmt(total)} ${label}\n`);
      }
    },
    done(message) {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`${tty ? "\r\x1b[2K" : ""}${title} done in ${secs}s${message ? `: ${message}` : ""}\n`);
    },
  };
}
