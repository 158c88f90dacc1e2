/**
 * A PDF drawn with pdf.js, one canvas per page, with the field overlay on each page.
 * This module is loaded lazily (React.lazy), so pdf.js is fetched only when needed.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { errorMessage } from '@/lib/api-client';
import { openPdf } from '../utils/pdf';

const MAX_PAGES_DRAWN = 50; // MAX_PAGES: the pipeline refuses longer documents

function PdfPage({ doc, pageNumber, children }: { doc: PDFDocumentProxy; pageNumber: number; children: ReactNode }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [ratio, setRatio] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const run: { cancelled: boolean; task: { cancel: () => void; promise: Promise<void> } | null } = {
      cancelled: false,
      task: null,
    };
    void (async () => {
      try {
        const page = await doc.getPage(pageNumber);
        const base = page.getViewport({ scale: 1 });
        const target = canvas.current;
        if (run.cancelled || !target) return;
        const cssWidth = Math.min(1000, target.parentElement?.clientWidth ?? 800);
        const scale = (cssWidth / base.width) * (window.devicePixelRatio || 1);
        const viewport = page.getViewport({ scale });
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
        setRatio(base.height / base.width);
        const context = target.getContext('2d');
        if (!context) throw new Error('This browser cannot draw on a canvas.');
        run.task = page.render({ canvas: target, canvasContext: context, viewport });
        await run.task.promise;
      } catch (err) {
        if (!run.cancelled && !(err instanceof Error && err.name === 'RenderingCancelledException')) {
          setError(errorMessage(err));
        }
      }
    })();
    return () => {
      run.cancelled = true;
      run.task?.cancel();
    };
  }, [doc, pageNumber]);

  return (
    <div className="doc-page" data-page={pageNumber} style={ratio ? { aspectRatio: `1 / ${ratio}` } : undefined}>
      <canvas ref={canvas} className="doc-page__canvas" role="img" aria-label={`Page ${pageNumber} of the document`} />
      {error ? <p className="error-text">Page {pageNumber} could not be drawn: {error}</p> : children}
    </div>
  );
}

export default function PdfPages({
  url,
  renderOverlay,
}: {
  url: string;
  renderOverlay: (page: number) => ReactNode;
}) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // The parent keys this component by URL, so state starts fresh for each document.
    const run: { cancelled: boolean; opened: PDFDocumentProxy | null } = { cancelled: false, opened: null };
    void (async () => {
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`The document could not be fetched (HTTP ${response.status}); the link may have expired.`);
        const opened = await openPdf(await response.arrayBuffer());
        run.opened = opened;
        if (run.cancelled) void opened.destroy();
        else setDoc(opened);
      } catch (err) {
        if (!run.cancelled) setError(errorMessage(err));
      }
    })();
    return () => {
      run.cancelled = true;
      void run.opened?.destroy();
    };
  }, [url]);

  if (error) return <p className="alert alert--error" role="alert">{error}</p>;
  if (!doc) return <p className="muted" role="status">Opening the document…</p>;
  const pages = Math.min(doc.numPages, MAX_PAGES_DRAWN);
  return (
    <div className="doc-pages" data-testid="pdf-pages">
      {Array.from({ length: pages }, (_, index) => (
        <PdfPage key={index + 1} doc={doc} pageNumber={index + 1}>
          {renderOverlay(index + 1)}
        </PdfPage>
      ))}
    </div>
  );
}
