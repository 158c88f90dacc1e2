import type { JobStatus } from '@/types/api';
import { statusLabel } from '@/lib/format';

export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge badge--${status.toLowerCase()}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
