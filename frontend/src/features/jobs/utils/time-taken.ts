import { formatDuration } from '@/lib/format';
import type { Job } from '@/types/api';
import { isSettledStatus } from '@/types/domain';

/** How long the job took to reach its status, or has been running so far. */
export function timeTaken(job: Job, now: number = Date.now()): string {
  const start = Date.parse(job.created_at);
  const settled = isSettledStatus(job.status);
  const text = formatDuration((settled ? Date.parse(job.updated_at) : now) - start);
  return settled ? text : `${text} so far`;
}
