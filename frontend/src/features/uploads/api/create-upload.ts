import { api } from '@/lib/api-client';
import { uploadCreatedSchema, type CreateUploadRequest, type UploadCreated } from '@/types/api';

/** POST /uploads: registers the job and returns where to PUT the file. */
export function createUpload(input: CreateUploadRequest): Promise<UploadCreated> {
  return api.post('/uploads', input, uploadCreatedSchema);
}
