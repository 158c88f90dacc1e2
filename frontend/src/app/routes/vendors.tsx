import { VendorsList } from '@/features/vendors/components/VendorsList';
import { useClerkName } from '@/lib/clerk';

export function VendorsRoute() {
  const clerk = useClerkName();
  return (
    <>
      <h1>Vendors</h1>
      <VendorsList key={clerk} ownerId={clerk} />
    </>
  );
}
