/**
 * The upload queue: each file is checked, registered (POST /uploads), PUT to its
 * presigned URL with real progress, then handed to `onUploaded` (which starts it).
 */
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '@/lib/api-client';
import { createUpload } from '../api/create-upload';
import { uploadFile } from '../api/upload-file';
import { checkFile } from '../utils/validate-file';

export type UploadPhase = 'checking' | 'rejected' | 'registering' | 'uploading' | 'starting' | 'done' | 'failed';

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  phase: UploadPhase;
  progress: number; // 0..1 of the PUT
  message?: string;
  jobId?: string;
}

export interface UseUploadsOptions {
  onUploaded: (jobId: string) => Promise<void>;
}

let counter = 0;

export function useUploads({ onUploaded }: UseUploadsOptions) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const controllers = useRef(new Map<string, AbortController>());

  const update = useCallback((id: string, patch: Partial<UploadItem>) => {
    setItems((current) => current.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  }, []);

  const process = useCallback(
    async (id: string, file: File) => {
      const check = await checkFile(file);
      if (!check.ok) {
        update(id, { phase: 'rejected', message: check.message });
        return;
      }
      const controller = new AbortController();
      controllers.current.set(id, controller);
      try {
        update(id, { phase: 'registering' });
        const upload = await createUpload({
          filename: file.name,
          content_type: check.contentType,
          size_bytes: file.size,
        });
        update(id, { phase: 'uploading', jobId: upload.job_id });
        await uploadFile({
          url: upload.upload_url,
          headers: upload.upload_headers,
          file,
          signal: controller.signal,
          onProgress: (progress) => update(id, { progress }),
        });
        update(id, { phase: 'starting', progress: 1 });
        await onUploaded(upload.job_id);
        update(id, { phase: 'done' });
      } catch (error) {
        const cancelled = error instanceof DOMException && error.name === 'AbortError';
        update(id, { phase: 'failed', message: cancelled ? 'Upload cancelled.' : errorMessage(error) });
      } finally {
        controllers.current.delete(id);
      }
    },
    [onUploaded, update],
  );

  const addFiles = useCallback(
    (files: Iterable<File>) => {
      const added: [string, File][] = [];
      for (const file of files) {
        counter += 1;
        added.push([`upload-${counter}`, file]);
      }
      setItems((current) => [
        ...added.map(([id, file]) => ({ id, name: file.name, size: file.size, phase: 'checking' as const, progress: 0 })),
        ...current,
      ]);
      for (const [id, file] of added) void process(id, file);
    },
    [process],
  );

  const cancel = useCallback((id: string) => controllers.current.get(id)?.abort(), []);
  const clearFinished = useCallback(() => {
    setItems((current) => current.filter((item) => !['done', 'rejected', 'failed'].includes(item.phase)));
  }, []);

  return { items, addFiles, cancel, clearFinished };
}
