import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorMessage, Loading } from '@/components/Feedback';
import { StatusBadge } from '@/components/StatusBadge';
import { paths } from '@/config/paths';
import { formatDate, formatDateTime, formatMoney, statusLabel } from '@/lib/format';
import { JOB_STATUSES, type JobStatus } from '@/types/api';
import { useExportInvoices } from '../api/export-invoices';
import { useJobs } from '../api/get-jobs';
import { describeDays, filterOf, paramsOf } from '../utils/filter';
import { processingTime, waitingTime } from '../utils/timings';

/** The company's jobs (the API lists the signed-in user's tenant only), newest first. */
export function JobsList() {
  // The filter is in the address, so a dashboard figure can link to the list behind it.
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const status: JobStatus | '' = filter.status ?? '';
  const setStatus = (value: JobStatus | '') => setParams(paramsOf({ ...filter, status: value || undefined }), { replace: true });
  const days = describeDays(filter);
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
            onClick={() => exporter.mutate(filter)}
            disabled={exporter.isPending}
          >
            {exporter.isPending ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </div>
      {(status || days) && (
        <p className="muted" role="status">
          Showing {status ? statusLabel(status).toLowerCase() : 'all'} jobs{days ? `, ${days}` : ''}.{' '}
          <button type="button" className="button button--small" onClick={() => setParams({}, { replace: true })}>
            Clear filter
          </button>
        </p>
      )}
      {exporter.isError && <ErrorMessage error={exporter.error} title="Could not export the invoices." />}
      {jobs.isPending && <Loading label="Loading jobs…" />}
      {jobs.isError && <ErrorMessage error={jobs.error} title="Could not load the jobs." onRetry={() => void jobs.refetch()} />}
      {jobs.isSuccess && items.length === 0 && (
        <EmptyState
          title={status ? `No ${statusLabel(status).toLowerCase()} invoices` : 'No invoices yet'}
          action={
            <Link className="button button--primary" to={paths.upload}>
              Upload invoices
            </Link>
          }
        >
          {status ? 'Choose another status to see the rest.' : 'Upload a PDF, a photo or an e-invoice and it shows here while it is read.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="table" aria-label="Jobs">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="wide-only">
                Due
              </th>
              <th scope="col">Status</th>
              <th scope="col" className="wide-only">
                Uploaded
              </th>
              <th scope="col" className="wide-only">
                Processing
              </th>
              <th scope="col" className="wide-only">
                Waiting for a person
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <tr key={job.job_id} data-testid="job-row" data-job-id={job.job_id}>
                <td className="table__lead">
                  {/* A person scans by vendor and number; the file name stays as the second line. */}
                  <Link className="table__primary" to={paths.job(job.job_id)}>
                    {job.summary.vendor_name ?? job.filename}
                  </Link>
                  {job.summary.vendor_name && (
                    <span className="secondary">
                      {job.summary.invoice_number && `No. ${job.summary.invoice_number}`}
                      <span className="wide-only" data-testid="job-file">
                        {job.summary.invoice_number && ' · '}
                        {job.filename}
                      </span>
                    </span>
                  )}
                </td>
                <td className="num" data-testid="job-total">
                  {formatMoney(job.summary.total_amount, job.summary.currency)}
                </td>
                <td className="wide-only">
                  {job.summary.due_date ? <time dateTime={job.summary.due_date}>{formatDate(job.summary.due_date)}</time> : '—'}
                </td>
                <td>
                  <StatusBadge status={job.status} />
                  {job.status === 'NEEDS_REVIEW' && (
                    <span className="secondary wide-only">
                      <Link to={paths.reviewJob(job.job_id)}>Review</Link>
                    </span>
                  )}
                </td>
                <td className="wide-only">
                  <time dateTime={job.created_at}>{formatDateTime(job.created_at)}</time>
                </td>
                <td className="wide-only">{processingTime(job)}</td>
                <td className="wide-only">{waitingTime(job) ?? '—'}</td>
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
