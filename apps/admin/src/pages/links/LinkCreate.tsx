import { sourceLabel } from "@lantern/core/source-labels";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, Navigate } from "react-router";
import { ChannelBadge, LinkTagBadge } from "../../components/Badges.tsx";
import { Card, PageHeader } from "../../components/Card.tsx";
import { CopyButton, CopyField } from "../../components/CopyButton.tsx";
import { Notice } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import { emptyLinkForm, KIT_SOURCES, type LinkForm, type LinkFormErrors, linkBody, plannedVariants, validateLinkForm } from "../../lib/share-kit.ts";
import type { Link as LinkT } from "../../lib/types.ts";
import { UtmList } from "../../components/UtmList.tsx";
import { PreviewCard } from "./PreviewCard.tsx";
import { QrLinks } from "./QrLinks.tsx";

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field-error" id={id}>
      {error}
    </p>
  ) : null;
}

export function LinkCreatePage() {
  const canWrite = useCanWrite();
  if (!canWrite) return <Navigate to="/links" replace />;
  return <LinkCreateForm />;
}

export function LinkCreateForm() {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [form, setForm] = useState<LinkForm>(emptyLinkForm);
  const [errors, setErrors] = useState<LinkFormErrors>({});
  const [extraSource, setExtraSource] = useState("");
  const create = useMutation({
    mutationFn: (f: LinkForm) => api.post<LinkT>("/api/links", linkBody(f)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["links"] }),
  });

  const set = <K extends keyof LinkForm>(key: K, value: LinkForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggleSource = (source: string, on: boolean) => set("kit", on ? [...form.kit, source] : form.kit.filter((s) => s !== source));
  const planned = plannedVariants(form);
  const describedBy = (field: keyof LinkFormErrors, hint?: string) => [errors[field] ? `${id}-${field}-error` : null, hint ?? null].filter(Boolean).join(" ") || undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = validateLinkForm(form);
    setErrors(problems);
    if (Object.keys(problems).length) {
      const first = Object.keys(problems)[0];
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    create.mutate(form);
  };

  if (create.data) {
    return (
      <div className="page">
        <PageHeader title={create.data.variants ? "Share kit created" : "Link created"} description="Copy each link into the place it was made for, so every click and preview is credited to the right channel." />
        <CreatedLinks link={create.data} onAnother={() => { create.reset(); setForm(emptyLinkForm()); }} />
      </div>
    );
  }

  const sources = [...new Set([...KIT_SOURCES, ...form.kit])];

  return (
    <div className="page">
      <PageHeader title="New link" description="One link, or a share kit: one tagged variant per place you will share it." />
      <form className="grid grid-form" onSubmit={submit} noValidate aria-label="New link">
        <div className="stack">
          <Card title="Destination">
            <fieldset className="segmented" aria-describedby={`${id}-mode-hint`}>
              <legend className="sr-only">What to create</legend>
              <label className={form.mode === "kit" ? "is-selected" : ""}>
                <input type="radio" name={`${id}-mode`} checked={form.mode === "kit"} onChange={() => set("mode", "kit")} />
                <span>Share kit</span>
              </label>
              <label className={form.mode === "single" ? "is-selected" : ""}>
                <input type="radio" name={`${id}-mode`} checked={form.mode === "single"} onChange={() => set("mode", "single")} />
                <span>Single link</span>
              </label>
            </fieldset>
            <p className="muted small" id={`${id}-mode-hint`}>
              {form.mode === "kit" ? "A kit makes one link per source, each with its own slug and UTMs." : "One link, tagged for one source if you pick it."}
            </p>
            <div className="field">
              <label htmlFor={`${id}-url`}>Destination URL</label>
              <input id={`${id}-url`} type="url" inputMode="url" placeholder="https://example.com/launch" value={form.url} onChange={(e) => set("url", e.target.value)} aria-invalid={errors.url ? true : undefined} aria-describedby={describedBy("url")} required />
              <FieldError id={`${id}-url-error`} error={errors.url} />
            </div>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-campaign`}>Campaign</label>
                <input id={`${id}-campaign`} placeholder="spring-launch" value={form.campaign} onChange={(e) => set("campaign", e.target.value)} aria-describedby={`${id}-campaign-hint`} />
                <p className="hint" id={`${id}-campaign-hint`}>
                  Becomes utm_campaign.
                </p>
              </div>
              <div className="field">
                <label htmlFor={`${id}-slug`}>Slug (optional)</label>
                <input id={`${id}-slug`} placeholder="generated" value={form.slug} onChange={(e) => set("slug", e.target.value)} aria-invalid={errors.slug ? true : undefined} aria-describedby={describedBy("slug", `${id}-slug-hint`)} />
                <p className="hint" id={`${id}-slug-hint`}>
                  {form.mode === "kit" ? "Variants get slug-source, e.g. launch-whatsapp." : "Letters, digits, '_' and '-'."}
                </p>
                <FieldError id={`${id}-slug-error`} error={errors.slug} />
              </div>
            </div>
            {form.mode === "single" ? (
              <div className="field">
                <label htmlFor={`${id}-source`}>Source (optional)</label>
                <input id={`${id}-source`} list={`${id}-sources`} placeholder="whatsapp" value={form.source} onChange={(e) => set("source", e.target.value)} aria-invalid={errors.source ? true : undefined} aria-describedby={describedBy("source", `${id}-source-hint`)} />
                <datalist id={`${id}-sources`}>
                  {KIT_SOURCES.map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
                <p className="hint" id={`${id}-source-hint`}>
                  Where you will share it; decides the channel and utm_source / utm_medium.
                </p>
                <FieldError id={`${id}-source-error`} error={errors.source} />
              </div>
            ) : (
              <fieldset className="field" aria-describedby={describedBy("kit")} id={`${id}-kit`} tabIndex={-1}>
                <legend>Share on</legend>
                <div className="checks">
                  {sources.map((s) => (
                    <label key={s} className="check">
                      <input type="checkbox" checked={form.kit.includes(s)} onChange={(e) => toggleSource(s, e.target.checked)} />
                      {sourceLabel(s)}
                    </label>
                  ))}
                </div>
                <div className="inline-add">
                  <label htmlFor={`${id}-extra`} className="sr-only">
                    Another source
                  </label>
                  <input id={`${id}-extra`} placeholder="another source, e.g. newsletter" value={extraSource} onChange={(e) => setExtraSource(e.target.value)} />
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      const s = extraSource.trim().toLowerCase().replace(/[\s-]+/g, "_").replace(/[^a-z0-9_.]/g, "");
                      if (s && !form.kit.includes(s)) set("kit", [...form.kit, s]);
                      setExtraSource("");
                    }}
                  >
                    Add source
                  </button>
                </div>
                <FieldError id={`${id}-kit-error`} error={errors.kit} />
              </fieldset>
            )}
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-tags`}>Tags</label>
                <input id={`${id}-tags`} placeholder="launch, q3" value={form.tags} onChange={(e) => set("tags", e.target.value)} aria-invalid={errors.tags ? true : undefined} aria-describedby={describedBy("tags", `${id}-tags-hint`)} />
                <p className="hint" id={`${id}-tags-hint`}>
                  Separated by commas.
                </p>
                <FieldError id={`${id}-tags-error`} error={errors.tags} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-expiresOn`}>Expires on (optional)</label>
                <input id={`${id}-expiresOn`} type="date" value={form.expiresOn} onChange={(e) => set("expiresOn", e.target.value)} aria-invalid={errors.expiresOn ? true : undefined} aria-describedby={describedBy("expiresOn")} />
                <FieldError id={`${id}-expiresOn-error`} error={errors.expiresOn} />
              </div>
            </div>
          </Card>

          <Card title="Preview" description="What chat apps show when the link is pasted. Leave empty to use the page's own tags.">
            <div className="field">
              <label htmlFor={`${id}-title`}>Title</label>
              <input id={`${id}-title`} maxLength={300} value={form.title} onChange={(e) => set("title", e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-description`}>Description</label>
              <textarea id={`${id}-description`} maxLength={1000} rows={2} value={form.description} onChange={(e) => set("description", e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-image`}>Image URL</label>
              <input id={`${id}-image`} type="url" placeholder="https://…/card.png" value={form.image} onChange={(e) => set("image", e.target.value)} aria-invalid={errors.image ? true : undefined} aria-describedby={describedBy("image")} />
              <FieldError id={`${id}-image-error`} error={errors.image} />
            </div>
          </Card>
        </div>

        <div className="stack">
          <Card title="Preview as shared">
            <PreviewCard url={form.url} title={form.title} description={form.description} image={form.image} />
          </Card>
          <Card title={form.mode === "kit" ? `Variants (${planned.length})` : "Tagging"} description="Channel and UTMs are filled in from each source.">
            {planned.length === 0 ? (
              <p className="muted small">{form.mode === "kit" ? "Pick where you will share the link." : "Without a source the link adds no UTMs."}</p>
            ) : (
              <table className="table table-compact" aria-label="Planned variants">
                <thead>
                  <tr>
                    <th scope="col">Source</th>
                    <th scope="col">Channel</th>
                    <th scope="col">UTMs</th>
                  </tr>
                </thead>
                <tbody>
                  {planned.map((v) => (
                    <tr key={v.source}>
                      <th scope="row">
                        {sourceLabel(v.source)}
                        {v.slug ? <div className="muted small">/{v.slug}</div> : null}
                      </th>
                      <td>
                        <ChannelBadge channel={v.channel} />
                      </td>
                      <td>
                        <UtmList utm={v.utm} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          {create.isError ? <Notice kind="error">{errorMessage(create.error)}</Notice> : null}
          <div className="form-actions">
            <Link className="btn btn-ghost" to="/links">
              Cancel
            </Link>
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : form.mode === "kit" ? `Create share kit (${planned.length} variants)` : "Create link"}
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}

function CreatedLinks({ link, onAnother }: { link: LinkT; onAnother: () => void }) {
  const rows = link.variants?.length ? link.variants : [{ id: link.id, slug: link.slug, shortUrl: link.shortUrl, source: link.source ?? "", channel: link.channel, utm: link.utm }];
  return (
    <div className="stack">
      <Notice kind="success">
        {link.variants?.length ? `${link.variants.length} tagged links are ready.` : "Your link is ready."} Destination: {link.url}
      </Notice>
      <Card title={link.variants?.length ? "Variants" : "Short link"}>
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">The links created</caption>
            <thead>
              <tr>
                <th scope="col">Share on</th>
                <th scope="col">Short link</th>
                <th scope="col">UTMs</th>
                <th scope="col">QR code</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => (
                <tr key={v.id}>
                  <th scope="row">
                    {v.source ? sourceLabel(v.source) : "—"}
                    <div>
                      <LinkTagBadge channel={v.channel} source={v.source} sourceShown />
                    </div>
                  </th>
                  <td>
                    <div className="link-cell">
                      <Link to={`/links/${v.id}`} className="strong">
                        {v.shortUrl}
                      </Link>
                      <CopyButton value={v.shortUrl} what={`${v.source || "short"} link`} />
                    </div>
                  </td>
                  <td>
                    <UtmList utm={v.utm} />
                  </td>
                  <td>
                    <QrLinks id={v.id} slug={v.slug} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {link.variants?.length ? (
        <Card title="Untagged link" description="For places not in the kit; clicks on it are credited by what the browser says (referrer, in-app browser), else direct.">
          <CopyField value={link.shortUrl} what="untagged link" />
        </Card>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onAnother}>
          Create another
        </button>
        <Link className="btn btn-primary" to={`/links/${link.id}`}>
          Open the link's page
        </Link>
      </div>
    </div>
  );
}
