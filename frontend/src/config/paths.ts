/** Every route of the app, in one place, so features link without knowing the router. */
export const paths = {
  upload: '/',
  jobs: '/jobs',
  job: (jobId: string) => `/jobs/${encodeURIComponent(jobId)}`,
  review: '/review',
  reviewJob: (jobId: string) => `/review/${encodeURIComponent(jobId)}`,
  vendors: '/vendors',
  vendor: (vendorId: string) => `/vendors/${encodeURIComponent(vendorId)}`,
  webhooks: '/webhooks',
  settings: '/settings',
  dashboard: '/dashboard',
} as const;
