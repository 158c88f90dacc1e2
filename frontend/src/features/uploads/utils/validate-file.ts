/**
 * Checks a file before anything is uploaded: its type (by name, browser type and the
 * first bytes, the same magic numbers the pipeline checks) and its size.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024; // MAX_UPLOAD_BYTES default, 20 MiB

export type AcceptedType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/tiff' | 'application/xml';

const BY_EXTENSION: Record<string, AcceptedType> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  xml: 'application/xml',
};

export const ACCEPT_ATTRIBUTE =
  '.pdf,.png,.jpg,.jpeg,.tif,.tiff,.xml,application/pdf,image/png,image/jpeg,image/tiff,application/xml,text/xml';

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The type the bytes say, or null when they are none of the accepted kinds. */
export function sniffType(head: Uint8Array): AcceptedType | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  // XML (an e-invoice): '<' after a byte order mark and white space, or UTF-16.
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return 'application/xml';
  let at = starts(0xef, 0xbb, 0xbf) ? 3 : 0;
  while (at < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[at] ?? -1)) at += 1;
  if (head[at] === 0x3c) return 'application/xml';
  return null;
}

const NAMES: Record<AcceptedType, string> = {
  'application/pdf': 'a PDF',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'image/tiff': 'a TIFF image',
  'application/xml': 'an XML e-invoice',
};

export type FileCheck = { ok: true; contentType: AcceptedType } | { ok: false; message: string };

async function readHead(file: Blob): Promise<Uint8Array> {
  const slice = file.slice(0, 64);
  // jsdom's Blob lacks arrayBuffer(); FileReader works everywhere.
  if (typeof slice.arrayBuffer === 'function') return new Uint8Array(await slice.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsArrayBuffer(slice);
  });
}

export async function checkFile(file: File): Promise<FileCheck> {
  const byName = BY_EXTENSION[extensionOf(file.name)];
  if (!byName) {
    return {
      ok: false,
      message: `${file.name} is not a PDF, PNG, JPEG, TIFF or XML e-invoice file, so it cannot be read. Save or scan the invoice in one of those formats.`,
    };
  }
  if (file.size === 0) return { ok: false, message: `${file.name} is empty.` };
  if (file.size > MAX_UPLOAD_BYTES) {
    const mib = (file.size / (1024 * 1024)).toFixed(1);
    return {
      ok: false,
      message: `${file.name} is ${mib} MiB; the limit is 20 MiB. Split the document or scan it at a lower resolution.`,
    };
  }
  const sniffed = sniffType(await readHead(file));
  if (sniffed === null) {
    return {
      ok: false,
      message: `${file.name} is named like ${NAMES[byName]} but its content is not one. It may be damaged or renamed.`,
    };
  }
  if (sniffed !== byName) {
    return {
      ok: false,
      message: `${file.name} is named like ${NAMES[byName]} but is really ${NAMES[sniffed]}. Rename it with the right extension.`,
    };
  }
  return { ok: true, contentType: sniffed };
}
