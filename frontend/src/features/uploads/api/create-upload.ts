import { z } from 'zod';
import { api } from '@/lib/api-client';
import { jobStatusSchema } from '@/types/api';

export const createUploadResponseSchema = z.object({
  job_id: z.string().min(1),
  status: jobStatusSchema,
  upload_url: z.url(),
  upload_headers: z.record(z.string(), z.string()).default({}),
  expires_at: z.string(),
});
export type CreateUploadResponse = z.infer<typeof createUploadResponseSchema>;

export interface CreateUploadInput {
  filename: string;
  content_type: string;
  owner_id: string;
  size_bytes: number;
}

/** POST /uploads: registers the job and returns where to PUT the file. */
export function createUpload(input: CreateUploadInput): Promise<CreateUploadResponse> {
  return api.post('/uploads', input, createUploadResponseSchema);
}
