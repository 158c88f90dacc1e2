import { Link } from 'react-router';
import { StatusBadge } from '@/components/StatusBadge';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-client';
import { useJob } from '../api/get-job';

/** A job's live status in one line, with the next thing to do. */
export function JobStatusInline({ jobId }: { jobId: string }) {
  const job = useJob(jobId);
  if (job.isError) return <p className="error-text">Could not follow the job: {errorMessage(job.error)}</p>;
  if (!job.data) return <p className="muted">Following the job…</p>;
  const { status } = job.data;
  return (
    <p className="job-inline" aria-live="polite">
      <StatusBadge status={status} /> <Link to={paths.job(jobId)}>Details</Link>
      {status === 'NEEDS_REVIEW' && (
        <>
          {' · '}
          <Link to={paths.reviewJob(jobId)}>Review now</Link>
        </>
      )}
      {status === 'FAILED' && job.data.failure_reason && <span className="error-text"> {job.data.failure_reason}</span>}
    </p>
  );
}
