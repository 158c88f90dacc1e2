import { JobsList } from '@/features/jobs/components/JobsList';

export function JobsRoute() {
  return (
    <>
      <h1>Jobs</h1>
      <JobsList />
    </>
  );
}
