/**
 * PUT the file to the presigned URL. XMLHttpRequest, because fetch() cannot report
 * upload progress.
 */
import { ApiError } from '@/lib/api-client';

export interface UploadFileOptions {
  url: string;
  headers: Record<string, string>;
  file: Blob;
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}

export function uploadFile({ url, headers, file, onProgress, signal }: UploadFileOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) {
      // The browser sets these itself and refuses to be told.
      if (!['host', 'content-length'].includes(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(xhr.status, 'UPLOAD_FAILED', `The file store refused the upload (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () => {
      reject(new ApiError(0, 'NETWORK_ERROR', 'The upload was interrupted. Check your connection and try again.'));
    };
    xhr.onabort = () => {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
