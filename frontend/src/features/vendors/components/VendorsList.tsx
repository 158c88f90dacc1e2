import { Link } from 'react-router';
import { EmptyState, ErrorMessage, Loading } from '@/components/Feedback';
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
      {vendors.isSuccess && items.length === 0 && (
        <EmptyState title="No vendors yet">Each invoice completed or approved teaches its vendor: its names, tax id and bank accounts.</EmptyState>
      )}
      {items.length > 0 && (
        <table className="table" aria-label="Vendors">
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              <th scope="col" className="wide-only">
                Tax id
              </th>
              <th scope="col" className="num">
                Invoices
              </th>
              <th scope="col" className="num wide-only">
                Bank accounts
              </th>
              <th scope="col">Last invoice</th>
            </tr>
          </thead>
          <tbody>
            {items.map((vendor) => (
              <tr key={vendor.vendor_id}>
                <td className="table__lead">
                  <Link className="table__primary" to={paths.vendor(vendor.vendor_id)}>
                    {vendor.name}
                  </Link>
                </td>
                <td className="wide-only">{vendor.tax_id ?? '—'}</td>
                <td className="num">{vendor.invoice_count}</td>
                <td className="num wide-only">{vendor.accounts.length}</td>
                <td>
                  <time dateTime={vendor.last_seen}>{formatDateTime(vendor.last_seen)}</time>
                </td>
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
