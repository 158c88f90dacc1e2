import { lazy, Suspense, useEffect, useRef } from 'react';
import { PageOverlay, type FieldBox } from './PageOverlay';

const PdfPages = lazy(() => import('./PdfPages'));

export interface DocumentViewerProps {
  url: string | null;
  contentType: string | null | undefined;
  boxes: FieldBox[];
  activeField: string | null;
  onSelectField: (field: string) => void;
}

/** The invoice itself, with every field's box drawn over it. */
export function DocumentViewer({ url, contentType, boxes, activeField, onSelectField }: DocumentViewerProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!activeField) return;
    const box = container.current?.querySelector(`[data-field="${CSS.escape(activeField)}"]`);
    if (box instanceof HTMLElement && typeof box.scrollIntoView === 'function') {
      box.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  }, [activeField]);

  const overlay = (page: number) => (
    <PageOverlay page={page} boxes={boxes} activeField={activeField} onSelect={onSelectField} />
  );

  let body;
  if (!url) {
    body = <p className="muted">The document is not available.</p>;
  } else if (contentType === 'application/pdf') {
    body = (
      <Suspense fallback={<p className="muted" role="status">Loading the PDF viewer…</p>}>
        <PdfPages key={url} url={url} renderOverlay={overlay} />
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
      {body}
    </div>
  );
}
