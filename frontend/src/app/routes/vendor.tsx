import { useParams } from 'react-router';
import { RequireReviewer } from '@/features/auth/components/RequireReviewer';
import { VendorDetailView } from '@/features/vendors/components/VendorDetailView';

export function VendorRoute() {
  const { vendorId = '' } = useParams();
  return (
    <>
      <h1>Vendor</h1>
      <RequireReviewer>
        <VendorDetailView vendorId={vendorId} />
      </RequireReviewer>
    </>
  );
}
