/** QR code downloads of a link (the links service draws them; the gateway passes the session). */
export function QrLinks({ id, slug }: { id: string; slug: string }) {
  return (
    <span className="qr-links">
      <a className="btn btn-small btn-ghost" href={`/api/links/${encodeURIComponent(id)}/qr?format=svg`} download={`${slug}.svg`} aria-label={`Download QR code of ${slug} as SVG`}>
        QR SVG
      </a>
      <a className="btn btn-small btn-ghost" href={`/api/links/${encodeURIComponent(id)}/qr?format=png`} download={`${slug}.png`} aria-label={`Download QR code of ${slug} as PNG`}>
        QR PNG
      </a>
    </span>
  );
}
