import { statusLabel } from '@/lib/format';
import type { JobStatus } from '@/types/api';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/**
 * The tone of each status of the job status model (DESIGN.md): waiting on the system is
 * neutral or info, an end without a person is success, waiting on a person is warning,
 * an end that needs attention is danger. A Record, so a new status fails the type check.
 */
const TONES: Record<JobStatus, Tone> = {
  CREATED: 'neutral',
  UPLOADED: 'neutral',
  PROCESSING: 'info',
  COMPLETED: 'success',
  NEEDS_REVIEW: 'warning',
  APPROVED: 'success',
  REJECTED: 'danger',
  FAILED: 'danger',
};

/** A small coloured label; the word carries the meaning, the colour only repeats it. */
export function Badge({ tone, children, ...data }: { tone: Tone; children: string } & Record<`data-${string}`, string>) {
  return (
    <span className={`badge badge--${tone}`} {...data}>
      {children}
    </span>
  );
}

/** The one way a job's status is shown, on every screen. */
export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <Badge tone={TONES[status]} data-status={status}>
      {statusLabel(status)}
    </Badge>
  );
}
