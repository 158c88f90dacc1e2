import { useCallback } from 'react';
import { JobStatusInline } from '@/features/jobs/components/JobStatusInline';
import { startUploadedJob } from '@/features/jobs/api/start-job';
import { UploadPanel } from '@/features/uploads/components/UploadPanel';
import { useClerkName, validateClerkName } from '@/lib/clerk';

export function UploadRoute() {
  const clerk = useClerkName();
  const problem = validateClerkName(clerk);
  const renderJob = useCallback((jobId: string) => <JobStatusInline jobId={jobId} />, []);
  const start = useCallback((jobId: string) => startUploadedJob(jobId, clerk), [clerk]);
  return (
    <>
      <h1>Upload</h1>
      <UploadPanel
        ownerId={clerk}
        onUploaded={start}
        renderJob={renderJob}
        disabledReason={problem ? 'Enter your clerk name at the top first: your uploads are filed under it.' : null}
      />
    </>
  );
}
