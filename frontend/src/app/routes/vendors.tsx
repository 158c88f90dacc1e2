import { RequireReviewer } from '@/features/auth/components/RequireReviewer';
import { VendorsList } from '@/features/vendors/components/VendorsList';

export function VendorsRoute() {
  return (
    <>
      <h1>Vendors</h1>
      <RequireReviewer>
        <VendorsList />
      </RequireReviewer>
    </>
  );
}
