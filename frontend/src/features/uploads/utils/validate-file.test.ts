import { describe, expect, it } from 'vitest';
import { checkFile, MAX_UPLOAD_BYTES, sniffType } from './validate-file';

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const file = (name: string, bytes: number[], type = '') => new File([new Uint8Array(bytes)], name, { type });

describe('sniffType', () => {
  it('knows the four accepted kinds by their first bytes', () => {
    expect(sniffType(new Uint8Array(PDF))).toBe('application/pdf');
    expect(sniffType(new Uint8Array(PNG))).toBe('image/png');
    expect(sniffType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(new Uint8Array([0x49, 0x49, 0x2a, 0x00]))).toBe('image/tiff');
    expect(sniffType(new Uint8Array([0x4d, 0x4d, 0x00, 0x2a]))).toBe('image/tiff');
    expect(sniffType(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBeNull(); // a zip / docx
  });
});

describe('checkFile', () => {
  it('accepts a PDF even when the browser gives no type', async () => {
    expect(await checkFile(file('Invoice.PDF', PDF))).toEqual({ ok: true, contentType: 'application/pdf' });
  });

  it('accepts an XML e-invoice by its first bytes, after a byte order mark and white space', async () => {
    const xml = [...new TextEncoder().encode('\uFEFF\n  <?xml version="1.0"?><Invoice/>')];
    expect(await checkFile(file('xrechnung.xml', xml))).toEqual({ ok: true, contentType: 'application/xml' });
    expect(sniffType(new Uint8Array([0xff, 0xfe, 0x3c, 0x00]))).toBe('application/xml'); // UTF-16
    const check = await checkFile(file('invoice.xml', PDF));
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.message).toContain('really a PDF');
  });

  it('accepts .tif by its bytes', async () => {
    expect(await checkFile(file('scan.tif', [0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0]))).toEqual({ ok: true, contentType: 'image/tiff' });
  });

  it('refuses other formats, naming what is accepted', async () => {
    const check = await checkFile(file('invoice.docx', [0x50, 0x4b, 0x03, 0x04]));
    expect(check).toEqual({ ok: false, message: expect.stringContaining('is not a PDF, PNG, JPEG, TIFF or XML e-invoice file') as string });
  });

  it('refuses a renamed file whose bytes say otherwise', async () => {
    const check = await checkFile(file('photo.pdf', PNG));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toBe('photo.pdf is named like a PDF but is really a PNG image. Rename it with the right extension.');
  });

  it('refuses a file that is not what its name says at all', async () => {
    const check = await checkFile(file('broken.pdf', [1, 2, 3, 4, 5, 6, 7, 8]));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain('may be damaged or renamed');
  });

  it('refuses empty files and files over 20 MiB with the size in the message', async () => {
    const empty = await checkFile(new File([], 'empty.pdf'));
    expect(empty).toEqual({ ok: false, message: 'empty.pdf is empty.' });
    const big = new File([new Uint8Array(PDF), new Uint8Array(MAX_UPLOAD_BYTES)], 'big.pdf');
    const check = await checkFile(big);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toBe('big.pdf is 20.0 MiB; the limit is 20 MiB. Split the document or scan it at a lower resolution.');
  });
});
