import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "../../components/Card.tsx";
import { Notice, QueryView } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import type { Channel } from "../../lib/types.ts";

/**
 * The groups of Lantern's built-in taxonomy (packages/core channels.ts), in words. A group says what
 * kind of channel it is; whether it counts as dark social is the checkbox, which an admin may change.
 */
const GROUPS: Record<string, string> = {
  search: "Search engines",
  social: "Social media",
  owned: "Your own emails",
  referral: "Other websites",
  ai: "AI assistants",
  dark: "Private sharing",
  untracked: "Offline and audio",
  direct: "Direct",
};

/** A group's name in words; a group this page does not know is shown as it comes. */
export const groupLabel = (group: string) => GROUPS[group] ?? group;

function GroupCell({ group }: { group: string }) {
  return <td title={GROUPS[group] ? `Group key: ${group}` : undefined}>{groupLabel(group)}</td>;
}

export function ChannelsPage() {
  const api = useApi();
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => api.get<{ channels: Channel[] }>("/api/channels") });
  const canWrite = useCanWrite();
  return (
    <Card
      title="Channel taxonomy"
      description="Labels shown in every report, and which channels count as dark social (private sharing that analytics cannot see). The group is the kind of channel; the dark social box alone decides what counts as dark. The key is how the API and link tags name a channel."
    >
      <QueryView query={channels} loadingLabel="Loading channels…">
        {({ channels: list }) => (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Channels</caption>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Label</th>
                  <th scope="col">Group</th>
                  <th scope="col">Dark social</th>
                  {canWrite ? <th scope="col"><span className="sr-only">Save</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (canWrite ? <EditableChannel key={c.key} channel={c} /> : <ReadOnlyChannel key={c.key} channel={c} />))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Card>
  );
}

function ReadOnlyChannel({ channel: c }: { channel: Channel }) {
  return (
    <tr>
      <th scope="row" className="mono small muted">
        {c.key}
      </th>
      <td>{c.label}</td>
      <GroupCell group={c.group} />
      <td>{c.dark ? "Yes" : "No"}</td>
    </tr>
  );
}

function EditableChannel({ channel: c }: { channel: Channel }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [label, setLabel] = useState(c.label);
  const [dark, setDark] = useState(c.dark);
  const save = useMutation({
    mutationFn: () => api.patch<{ channel: Channel }>(`/api/channels/${encodeURIComponent(c.key)}`, { label: label.trim(), dark }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["channels"] });
      void queryClient.invalidateQueries({ queryKey: ["reports"] });
    },
  });
  const changed = label.trim() !== c.label || dark !== c.dark;
  return (
    <tr>
      <th scope="row" className="mono small muted">
        {c.key}
      </th>
      <td>
        <input aria-label={`Label of ${c.key}`} value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} />
        {save.isError ? <Notice kind="error">{errorMessage(save.error)}</Notice> : null}
      </td>
      <GroupCell group={c.group} />
      <td>
        <label className="check">
          <input type="checkbox" aria-label={`${c.key} is dark social`} checked={dark} onChange={(e) => setDark(e.target.checked)} />
          <span aria-hidden="true">dark</span>
        </label>
      </td>
      <td>
        <button type="button" className="btn btn-small" aria-label={`Save ${c.key}`} disabled={!changed || !label.trim() || save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? "Saving…" : save.isSuccess && !changed ? "Saved" : "Save"}
        </button>
      </td>
    </tr>
  );
}
