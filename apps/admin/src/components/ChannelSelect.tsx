import { useChannels } from "../lib/channels.ts";

/** A select of the channels; extra first options (e.g. "Auto", "None", "All") come in `leading`. */
export function ChannelSelect({ id, value, onChange, leading = [], required, describedBy, ariaLabel }: {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  leading?: { value: string; label: string }[];
  required?: boolean;
  describedBy?: string;
  ariaLabel?: string;
}) {
  const { channels } = useChannels();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required={required} aria-describedby={describedBy} aria-label={ariaLabel}>
      {leading.map((o) => (
        <option key={`lead-${o.value}`} value={o.value}>
          {o.label}
        </option>
      ))}
      {channels.map((c) => (
        <option key={c.key} value={c.key}>
          {c.label}
          {c.dark ? " (dark)" : ""}
        </option>
      ))}
    </select>
  );
}
