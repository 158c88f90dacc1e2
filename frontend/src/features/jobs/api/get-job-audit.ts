import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { auditTrailSchema, type AuditEvent } from '@/types/api';

/** GET /jobs/{job_id}/audit */
export async function getJobAudit(jobId: string, signal?: AbortSignal): Promise<AuditEvent[]> {
  const page = await api.get(`/jobs/${encodeURIComponent(jobId)}/audit`, auditTrailSchema, undefined, signal);
  return page.items;
}

/** `version` (the job's) is part of the key, so a status change refreshes the trail. */
export function useJobAudit(jobId: string, version: number | undefined) {
  return useQuery({
    queryKey: ['job-audit', jobId, version] as const,
    queryFn: ({ signal }) => getJobAudit(jobId, signal),
    enabled: version !== undefined,
  });
}
