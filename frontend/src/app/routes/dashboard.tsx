import { RequireReviewer } from '@/features/auth/components/RequireReviewer';
import { Dashboard } from '@/features/stats/components/Dashboard';

export function DashboardRoute() {
  return (
    <>
      <h1>Dashboard</h1>
      <RequireReviewer>
        <Dashboard />
      </RequireReviewer>
    </>
  );
}

export default DashboardRoute;
