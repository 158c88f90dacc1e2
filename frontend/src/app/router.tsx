import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Loading } from '@/components/Feedback';
import { Layout } from './Layout';
import { JobRoute } from './routes/job';
import { JobsRoute } from './routes/jobs';
import { NotFoundRoute } from './routes/not-found';
import { ReviewJobRoute } from './routes/review-job';
import { ReviewQueueRoute } from './routes/review-queue';
import { SettingsRoute } from './routes/settings';
import { UploadRoute } from './routes/upload';
import { VendorRoute } from './routes/vendor';
import { VendorsRoute } from './routes/vendors';
import { WebhooksRoute } from './routes/webhooks';

// The dashboard (and its chart library) is loaded when it is opened: the initial JS budget.
const DashboardRoute = lazy(() => import('./routes/dashboard'));

export function AppRouter() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<UploadRoute />} />
          <Route path="jobs" element={<JobsRoute />} />
          <Route path="jobs/:jobId" element={<JobRoute />} />
          <Route path="review" element={<ReviewQueueRoute />} />
          <Route path="review/:jobId" element={<ReviewJobRoute />} />
          <Route path="vendors" element={<VendorsRoute />} />
          <Route path="vendors/:vendorId" element={<VendorRoute />} />
          <Route path="webhooks" element={<WebhooksRoute />} />
          <Route path="settings" element={<SettingsRoute />} />
          <Route
            path="dashboard"
            element={
              <Suspense fallback={<Loading label="Loading the dashboard…" />}>
                <DashboardRoute />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFoundRoute />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
