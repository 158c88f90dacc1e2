import { Link, useSearchParams } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { StatusBadge } from '@/components/StatusBadge';
import { paths } from '@/config/paths';
import { formatDateTime, statusLabel } from '@/lib/format';
import { JOB_STATUSES, type JobStatus } from '@/types/api';
import { useExportInvoices } from '../api/export-invoices';
import { useJobs } from '../api/get-jobs';
import { processingTime, waitingTime } from '../utils/timings';

/** The company's jobs (the API lists the signed-in user's tenant only), newest first. */
export function JobsList() {
  // The status filter is in the address, so a dashboard figure can link to the list behind it.
  const [params, setParams] = useSearchParams();
  const wanted = params.get('status');
  const status: JobStatus | '' = JOB_STATUSES.find((value) => value === wanted) ?? '';
  const setStatus = (value: JobStatus | '') => setParams(value ? { status: value } : {}, { replace: true });
  const filter = status ? { status } : {};
  const jobs = useJobs(filter);
  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  const exporter = useExportInvoices();

  return (
    <section aria-labelledby="jobs-heading" className="panel">
      <div className="panel__header">
        <h2 id="jobs-heading">Jobs</h2>
        <div className="filters">
          <label>
            Status{' '}
            <select value={status} onChange={(event) => setStatus(event.target.value as JobStatus | '')}>
              <option value="">All statuses</option>
              {JOB_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {statusLabel(value)}
                </option>
              ))}
            </select>
          </label>
          <span className="muted" aria-live="polite">
            {jobs.isFetching ? 'Refreshing…' : ''}
          </span>
          <button
            type="button"
            className="button"
            onClick={() => exporter.mutate(status ? { status } : {})}
            disabled={exporter.isPending}
          >
            {exporter.isPending ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </div>
      {exporter.isError && <ErrorMessage error={exporter.error} title="Could not export the invoices." />}
      {jobs.isPending && <Loading label="Loading jobs…" />}
      {jobs.isError && <ErrorMessage error={jobs.error} title="Could not load the jobs." onRetry={() => void jobs.refetch()} />}
      {jobs.isSuccess && items.length === 0 && <p className="muted">No jobs match these filters yet.</p>}
      {items.length > 0 && (
        <table className="table" aria-label="Jobs">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col">Uploaded</th>
              <th scope="col">Processing</th>
              <th scope="col">Waiting for a person</th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <tr key={job.job_id} data-testid="job-row" data-job-id={job.job_id}>
                <td>
                  <Link to={paths.job(job.job_id)}>{job.filename}</Link>
                  {job.status === 'NEEDS_REVIEW' && (
                    <>
                      {' '}
                      · <Link to={paths.reviewJob(job.job_id)}>Review</Link>
                    </>
                  )}
                </td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td>{formatDateTime(job.created_at)}</td>
                <td>{processingTime(job)}</td>
                <td>{waitingTime(job) ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {jobs.hasNextPage && (
        <button type="button" className="button" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
          {jobs.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
