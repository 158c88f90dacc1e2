import { useParams } from 'react-router';
import { VendorDetailView } from '@/features/vendors/components/VendorDetailView';
import { useClerkName } from '@/lib/clerk';

export function VendorRoute() {
  const { vendorId = '' } = useParams();
  const clerk = useClerkName();
  return (
    <>
      <h1>Vendor</h1>
      <VendorDetailView ownerId={clerk} vendorId={vendorId} />
    </>
  );
}
