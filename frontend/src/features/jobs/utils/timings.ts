import { formatDuration } from '@/lib/format';
import type { Job } from '@/types/api';

const since = (from: string, to: number) => formatDuration(to - Date.parse(from));

/**
 * How long the machines worked on the job (its last attempt): from the start of processing
 * to the status it left processing for, or so far while it runs. `—` before it started.
 */
export function processingTime(job: Job, now: number = Date.now()): string {
  if (!job.processing_started_at) return '—';
  if (job.processed_at) return since(job.processing_started_at, Date.parse(job.processed_at));
  return job.status === 'PROCESSING' ? `${since(job.processing_started_at, now)} so far` : '—';
}

/**
 * How long the job waited for a person: from the end of processing to the decision, or
 * so far while it is in review. Null for a job that never went to review.
 */
export function waitingTime(job: Job, now: number = Date.now()): string | null {
  if (!job.processed_at) return null;
  if (job.status === 'NEEDS_REVIEW') return `${since(job.processed_at, now)} so far`;
  return job.decided_at ? since(job.processed_at, Date.parse(job.decided_at)) : null;
}
