/**
 * pdf.js, loaded only when a PDF is opened (a separate chunk; never in the initial
 * bundle). The worker comes from the same origin, which the CSP allows.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';

let loading: Promise<typeof import('pdfjs-dist')> | null = null;

export function loadPdfjs(): Promise<typeof import('pdfjs-dist')> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([pdfjs, worker]) => {
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      return pdfjs;
    },
  );
  return loading;
}

export async function openPdf(data: ArrayBuffer): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfjs();
  // No eval (the CSP forbids it); fonts are drawn from the PDF's own data.
  return pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
}
