import { Link } from 'react-router';
import { AuditTimeline } from '@/components/AuditTimeline';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { StatusBadge } from '@/components/StatusBadge';
import { paths } from '@/config/paths';
import { formatBytes, formatDateTime } from '@/lib/format';
import type { Job } from '@/types/api';
import { useJobAudit } from '../api/get-job-audit';
import { useStartJob } from '../api/start-job';
import { processingTime, waitingTime } from '../utils/timings';

export function JobSummary({ job }: { job: Job }) {
  const retry = useStartJob(job.job_id);
  return (
    <section aria-labelledby="job-heading" className="panel">
      <div className="panel__header">
        <h2 id="job-heading">{job.filename}</h2>
        <StatusBadge status={job.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Job</dt>
          <dd>
            <code>{job.job_id}</code>
          </dd>
        </div>
        <div>
          <dt>Uploaded</dt>
          <dd>{formatDateTime(job.created_at)}</dd>
        </div>
        <div>
          <dt>Processing</dt>
          <dd>{processingTime(job)}</dd>
        </div>
        {waitingTime(job) && (
          <div>
            <dt>Waiting for a person</dt>
            <dd>{waitingTime(job)}</dd>
          </div>
        )}
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(job.size_bytes)}</dd>
        </div>
        <div>
          <dt>Company</dt>
          <dd>{job.tenant_id}</dd>
        </div>
        {job.decision && (
          <div>
            <dt>{job.decision === 'APPROVE' ? 'Approved by' : 'Rejected by'}</dt>
            <dd>
              {job.reviewer ?? '—'}
              {job.decided_at ? ` · ${formatDateTime(job.decided_at)}` : ''}
            </dd>
          </div>
        )}
        {job.decision_reason && (
          <div>
            <dt>Reason</dt>
            <dd>{job.decision_reason}</dd>
          </div>
        )}
        {job.attempt > 1 && (
          <div>
            <dt>Attempt</dt>
            <dd>{job.attempt}</dd>
          </div>
        )}
      </dl>
      {job.status === 'FAILED' && (
        <div className="alert alert--error" role="alert">
          <p>{job.failure_reason ?? 'Processing failed.'}</p>
          <button type="button" className="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {retry.isPending ? 'Retrying…' : 'Retry processing'}
          </button>
          {retry.isError && <ErrorMessage error={retry.error} />}
        </div>
      )}
      {job.status === 'NEEDS_REVIEW' && (
        <p>
          <Link className="button button--primary" to={paths.reviewJob(job.job_id)}>
            Review this invoice
          </Link>
        </p>
      )}
    </section>
  );
}

export function JobAudit({ job }: { job: Job }) {
  const audit = useJobAudit(job.job_id, job.version);
  return (
    <section aria-labelledby="audit-heading" className="panel">
      <h2 id="audit-heading">Audit trail</h2>
      {audit.isPending && <Loading />}
      {audit.isError && <ErrorMessage error={audit.error} title="Could not load the audit trail." />}
      {audit.data && <AuditTimeline events={audit.data} />}
    </section>
  );
}
