/** Chart colours; the same values as the CSS variables in styles.css (SVG attributes cannot read them everywhere). */
export const COLORS = {
  accent: "#4f46e5",
  accentSoft: "rgba(79, 70, 229, 0.16)",
  muted: "#94a3b8",
  grid: "#e5e7eb",
  text: "#475569",
  second: "#0ea5e9",
} as const;

export const AXIS_TICK = { fill: COLORS.text, fontSize: 12 } as const;
