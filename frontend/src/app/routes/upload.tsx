import { useCallback } from 'react';
import { JobStatusInline } from '@/features/jobs/components/JobStatusInline';
import { startUploadedJob } from '@/features/jobs/api/start-job';
import { UploadPanel } from '@/features/uploads/components/UploadPanel';

export function UploadRoute() {
  const renderJob = useCallback((jobId: string) => <JobStatusInline jobId={jobId} />, []);
  const start = useCallback((jobId: string) => startUploadedJob(jobId), []);
  return (
    <>
      <h1>Upload</h1>
      <UploadPanel onUploaded={start} renderJob={renderJob} />
    </>
  );
}
