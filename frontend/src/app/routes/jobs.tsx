import { JobsList } from '@/features/jobs/components/JobsList';
import { useClerkName } from '@/lib/clerk';

export function JobsRoute() {
  const clerk = useClerkName();
  return (
    <>
      <h1>Jobs</h1>
      <JobsList key={clerk} ownerId={clerk} />
    </>
  );
}
