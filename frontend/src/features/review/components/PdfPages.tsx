/**
 * A PDF drawn with pdf.js, with the field overlay on each page. Only pages near the
 * viewport get a canvas (IntersectionObserver): a 24-page scan on a phone would otherwise
 * hold hundreds of MiB of canvas. Other pages keep their size with an empty placeholder,
 * so scrolling and the page counter stay right. This module is loaded lazily (React.lazy).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { errorMessage } from '@/lib/api-client';
import { openPdf } from '../utils/pdf';

const MAX_PAGES_DRAWN = 50; // MAX_PAGES: the pipeline refuses longer documents
/** How far outside the scrolling pane a page starts being drawn. */
const NEAR = '600px 0px';

function PdfPage({
  doc,
  pageNumber,
  ratio,
  zoom,
  near,
  children,
}: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  ratio: number;
  zoom: number;
  near: boolean;
  children: ReactNode;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!near) return;
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
        const cssWidth = Math.min(1000 * zoom, target.parentElement?.clientWidth ?? 800);
        const scale = (cssWidth / base.width) * (window.devicePixelRatio || 1);
        const viewport = page.getViewport({ scale });
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
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
  }, [doc, pageNumber, near, zoom]);

  return (
    <div className="doc-page" data-page={pageNumber} data-drawn={near ? 'true' : 'false'} style={{ aspectRatio: `1 / ${ratio}` }}>
      {near ? (
        <canvas ref={canvas} className="doc-page__canvas" role="img" aria-label={`Page ${pageNumber} of the document`} />
      ) : (
        <div className="doc-page__placeholder" aria-hidden="true" />
      )}
      {error ? <p className="error-text">Page {pageNumber} could not be drawn: {error}</p> : children}
    </div>
  );
}

export default function PdfPages({
  url,
  zoom,
  onPages,
  renderOverlay,
}: {
  url: string;
  zoom: number;
  /** The page count, once the document is open. */
  onPages: (pages: number) => void;
  renderOverlay: (page: number) => ReactNode;
}) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [ratio, setRatio] = useState(1.414);
  const [near, setNear] = useState<ReadonlySet<number>>(new Set([1]));
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // The parent keys this component by URL, so state starts fresh for each document.
    const run: { cancelled: boolean; opened: PDFDocumentProxy | null } = { cancelled: false, opened: null };
    void (async () => {
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`The document could not be fetched (HTTP ${response.status}); the link may have expired.`);
        const opened = await openPdf(await response.arrayBuffer());
        run.opened = opened;
        if (run.cancelled) {
          void opened.destroy();
          return;
        }
        // Every page is laid out at the first page's shape until drawn; most invoices are uniform.
        const first = (await opened.getPage(1)).getViewport({ scale: 1 });
        setRatio(first.height / first.width);
        setDoc(opened);
        onPages(Math.min(opened.numPages, MAX_PAGES_DRAWN));
      } catch (err) {
        if (!run.cancelled) setError(errorMessage(err));
      }
    })();
    return () => {
      run.cancelled = true;
      void run.opened?.destroy();
    };
    // onPages is the parent's setter: stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url]);

  useEffect(() => {
    const root = list.current?.closest('[data-scroll-root]') ?? null;
    if (!doc || !list.current || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        setNear((current) => {
          const next = new Set(current);
          for (const entry of entries) {
            const page = Number((entry.target as HTMLElement).dataset.page);
            if (entry.isIntersecting) next.add(page);
            else next.delete(page);
          }
          return next;
        });
      },
      { root, rootMargin: NEAR },
    );
    list.current.querySelectorAll('.doc-page').forEach((page) => observer.observe(page));
    return () => observer.disconnect();
  }, [doc]);

  if (error) return <p className="alert alert--error" role="alert">{error}</p>;
  if (!doc) return <p className="muted" role="status">Opening the document…</p>;
  const pages = Math.min(doc.numPages, MAX_PAGES_DRAWN);
  return (
    <div className="doc-pages" data-testid="pdf-pages" ref={list} style={{ width: `${zoom * 100}%` }}>
      {Array.from({ length: pages }, (_, index) => (
        <PdfPage key={index + 1} doc={doc} pageNumber={index + 1} ratio={ratio} zoom={zoom} near={near.has(index + 1)}>
          {renderOverlay(index + 1)}
        </PdfPage>
      ))}
    </div>
  );
}
