/** Roughly how a chat app draws the link's preview, so the marketer sees what people will see. */
export function PreviewCard({ url, title, description, image }: { url: string; title: string; description: string; image: string }) {
  let host = "";
  try {
    host = new URL(url).host;
  } catch {
    host = "";
  }
  const hasAny = title || description || image;
  return (
    <section className="unfurl" aria-label="Link preview">
      <div className="unfurl-bar" aria-hidden="true" />
      <div className="unfurl-body">
        <div className="unfurl-host">{host || "your-site.example"}</div>
        <div className="unfurl-title">{title || (hasAny ? "" : "The page's own title")}</div>
        <div className="unfurl-desc">{description || (hasAny ? "" : "Without a preview, apps show the destination's own OpenGraph tags.")}</div>
        {/^https?:\/\//.test(image) ? <img className="unfurl-img" src={image} alt="" loading="lazy" /> : null}
      </div>
    </section>
  );
}
