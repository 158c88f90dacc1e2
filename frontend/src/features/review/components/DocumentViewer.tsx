import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { PageOverlay, type FieldBox } from './PageOverlay';

const PdfPages = lazy(() => import('./PdfPages'));

export interface DocumentViewerProps {
  url: string | null;
  contentType: string | null | undefined;
  boxes: FieldBox[];
  activeField: string | null;
  onSelectField: (field: string) => void;
}

const ZOOMS = [0.75, 1, 1.25, 1.5, 2];

/**
 * The invoice itself, with every field's box drawn over it: a page counter, zoom, and the
 * active field's box scrolled to the middle of the pane (not just "into view" at its edge).
 */
export function DocumentViewer({ url, contentType, boxes, activeField, onSelectField }: DocumentViewerProps) {
  const container = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(1);
  const [pages, setPages] = useState(1);
  const [page, setPage] = useState(1);

  useEffect(() => {
    if (!activeField) return;
    const box = container.current?.querySelector(`[data-field="${CSS.escape(activeField)}"]`);
    if (box instanceof HTMLElement && typeof box.scrollIntoView === 'function') {
      box.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
    }
  }, [activeField, zoom]);

  // The page counter follows the page whose top half is in the pane.
  useEffect(() => {
    const pane = container.current?.closest('[data-scroll-root]');
    if (!pane) return;
    const onScroll = () => {
      const top = pane.getBoundingClientRect().top + pane.clientHeight / 3;
      const shown = [...pane.querySelectorAll<HTMLElement>('.doc-page')].filter((el) => el.getBoundingClientRect().top <= top);
      const last = shown.at(-1);
      setPage(last ? Number(last.dataset.page) : 1);
    };
    pane.addEventListener('scroll', onScroll, { passive: true });
    return () => pane.removeEventListener('scroll', onScroll);
  }, []);

  const step = (delta: number) => {
    const at = ZOOMS.indexOf(zoom);
    setZoom(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at + delta))] ?? 1);
  };

  const overlay = (page: number) => (
    <PageOverlay page={page} boxes={boxes} activeField={activeField} onSelect={onSelectField} />
  );

  let body;
  if (!url) {
    body = <p className="muted">The document is not available.</p>;
  } else if (contentType === 'application/pdf') {
    body = (
      <Suspense fallback={<p className="muted" role="status">Loading the PDF viewer…</p>}>
        <PdfPages key={url} url={url} zoom={zoom} onPages={setPages} renderOverlay={overlay} />
      </Suspense>
    );
  } else if (contentType === 'image/tiff') {
    // Only Safari draws TIFF natively; offer the file rather than a broken image.
    body = (
      <p className="muted">
        This browser cannot display TIFF images. <a href={url}>Download the document</a> to compare; the fields and their
        confidence are listed alongside.
      </p>
    );
  } else {
    body = (
      <div className="doc-page" data-page={1}>
        <img src={url} alt="Page 1 of the document" className="doc-page__image" />
        {overlay(1)}
      </div>
    );
  }

  return (
    <div className="document" ref={container}>
      <div className="document__toolbar">
        <span data-testid="page-counter" aria-live="polite">
          Page {Math.min(page, pages)} of {pages}
        </span>
        <span className="document__zoom">
          <button type="button" className="button button--small" onClick={() => step(-1)} disabled={zoom === ZOOMS[0]} aria-label="Zoom out">
            −
          </button>
          <span aria-live="polite">{Math.round(zoom * 100)}%</span>
          <button type="button" className="button button--small" onClick={() => step(1)} disabled={zoom === ZOOMS.at(-1)} aria-label="Zoom in">
            +
          </button>
        </span>
      </div>
      {body}
    </div>
  );
}
