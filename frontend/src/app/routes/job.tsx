import { Link, useLocation, useParams } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { paths } from '@/config/paths';
import { useJob } from '@/features/jobs/api/get-job';
import { JobAudit, JobSummary } from '@/features/jobs/components/JobSummary';
import { ResultView } from '@/features/results/components/ResultView';

export function JobRoute() {
  const { jobId = '' } = useParams();
  const job = useJob(jobId);
  const location = useLocation();
  const flash = (location.state as { flash?: { text: string } } | null)?.flash;
  return (
    <>
      <p className="breadcrumbs">
        <Link to={paths.jobs}>Jobs</Link>
      </p>
      <h1>Job</h1>
      {flash && (
        <p className="alert alert--success" role="status">
          {flash.text}
        </p>
      )}
      {job.isPending && <Loading label="Loading the job…" />}
      {job.isError && <ErrorMessage error={job.error} title="Could not load this job." onRetry={() => void job.refetch()} />}
      {job.data && (
        <div className="job-layout">
          <JobSummary job={job.data} />
          <ResultView jobId={jobId} ready={job.data.has_result} corrections={job.data.corrections} />
          <JobAudit job={job.data} />
        </div>
      )}
    </>
  );
}
