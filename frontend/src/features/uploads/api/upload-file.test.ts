import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { uploadFile } from './upload-file';

/** A stand-in XMLHttpRequest that reports progress the way browsers do. */
class FakeXhr {
  static last: FakeXhr | null = null;
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('uploadFile', () => {
  it('PUTs the file with the presigned headers and reports real progress', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const progress: number[] = [];
    const file = new Blob(['x'.repeat(1000)]);
    const done = uploadFile({
      url: 'https://bucket.s3.amazonaws.com/raw/a?X-Amz-Signature=s',
      headers: { 'Content-Type': 'application/pdf', Host: 'ignored' },
      file,
      onProgress: (fraction) => progress.push(fraction),
    });
    const xhr = FakeXhr.last as FakeXhr;
    expect(xhr.method).toBe('PUT');
    expect(xhr.headers).toEqual({ 'Content-Type': 'application/pdf' }); // Host is the browser's business
    expect(xhr.body).toBe(file);
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 250, total: 1000 });
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 800, total: 1000 });
    xhr.status = 200;
    xhr.onload?.();
    await done;
    expect(progress).toEqual([0.25, 0.8, 1]);
  });

  it('says the store refused, with the status, and that a network error interrupted', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const refused = uploadFile({ url: 'https://s3/x', headers: {}, file: new Blob(['a']), onProgress: () => undefined });
    (FakeXhr.last as FakeXhr).status = 403;
    FakeXhr.last?.onload?.();
    await expect(refused).rejects.toEqual(new ApiError(403, 'UPLOAD_FAILED', 'The file store refused the upload (HTTP 403).'));

    const dropped = uploadFile({ url: 'https://s3/x', headers: {}, file: new Blob(['a']), onProgress: () => undefined });
    FakeXhr.last?.onerror?.();
    await expect(dropped).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('can be cancelled', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const controller = new AbortController();
    const upload = uploadFile({ url: 'https://s3/x', headers: {}, file: new Blob(['a']), onProgress: () => undefined, signal: controller.signal });
    controller.abort();
    await expect(upload).rejects.toMatchObject({ name: 'AbortError' });
  });
});
