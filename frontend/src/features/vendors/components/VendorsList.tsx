import { Link } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/lib/format';
import { useVendors } from '../api/get-vendors';

/** The tenant's vendors, as their completed and approved invoices describe them. */
export function VendorsList() {
  const vendors = useVendors();
  const items = vendors.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="vendors-heading" className="panel">
      <div className="panel__header">
        <h2 id="vendors-heading">Vendors</h2>
      </div>
      {vendors.isPending && <Loading label="Loading vendors…" />}
      {vendors.isError && <ErrorMessage error={vendors.error} title="Could not load the vendors." onRetry={() => void vendors.refetch()} />}
      {vendors.isSuccess && items.length === 0 && <p className="muted">No vendor yet: an invoice completed or approved teaches its vendor.</p>}
      {items.length > 0 && (
        <table className="table" aria-label="Vendors">
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              <th scope="col">Tax id</th>
              <th scope="col">Invoices</th>
              <th scope="col">Bank accounts</th>
              <th scope="col">Last invoice</th>
            </tr>
          </thead>
          <tbody>
            {items.map((vendor) => (
              <tr key={vendor.vendor_id}>
                <td>
                  <Link to={paths.vendor(vendor.vendor_id)}>{vendor.name}</Link>
                </td>
                <td>{vendor.tax_id ?? '—'}</td>
                <td>{vendor.invoice_count}</td>
                <td>{vendor.accounts.length}</td>
                <td>{formatDateTime(vendor.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {vendors.hasNextPage && (
        <button type="button" className="button" onClick={() => void vendors.fetchNextPage()} disabled={vendors.isFetchingNextPage}>
          More vendors
        </button>
      )}
    </section>
  );
}
