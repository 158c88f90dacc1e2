import { Link } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/lib/format';
import type { VendorDetail } from '@/types/api';
import { useVendor } from '../api/get-vendor';

export function VendorView({ detail }: { detail: VendorDetail }) {
  const { vendor, invoices } = detail;
  return (
    <section aria-labelledby="vendor-heading" className="panel">
      <div className="panel__header">
        <h2 id="vendor-heading">{vendor.name}</h2>
        <span className="muted">{vendor.tax_id ? `Tax id ${vendor.tax_id}` : 'No tax id seen'}</span>
      </div>
      <h3>Names seen</h3>
      <ul aria-label="Names seen">
        {vendor.names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      {(vendor.hints.vendor_name ?? vendor.hints.invoice_number_label) && (
        <p className="muted">
          Learned from reviewers:{' '}
          {[
            vendor.hints.vendor_name && `its name is “${vendor.hints.vendor_name}”`,
            vendor.hints.invoice_number_label && `its invoice number sits under “${vendor.hints.invoice_number_label}”`,
          ]
            .filter(Boolean)
            .join('; ')}
          .
        </p>
      )}
      <h3>Bank accounts</h3>
      <table className="table" aria-label="Bank accounts">
        <thead>
          <tr>
            <th scope="col">IBAN</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Invoices</th>
          </tr>
        </thead>
        <tbody>
          {vendor.accounts.map((account) => (
            <tr key={account.iban}>
              <td>
                <code>{account.iban}</code>
              </td>
              <td>{formatDateTime(account.first_seen)}</td>
              <td>{formatDateTime(account.last_seen)}</td>
              <td>{account.job_ids.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Invoices</h3>
      <table className="table" aria-label="Invoices">
        <thead>
          <tr>
            <th scope="col">Invoice number</th>
            <th scope="col">Date</th>
            <th scope="col">Total</th>
            <th scope="col">How it ended</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => (
            <tr key={invoice.job_id}>
              <td>
                <Link to={paths.job(invoice.job_id)}>{invoice.invoice_number ?? invoice.job_id}</Link>
              </td>
              <td>{invoice.document_date ?? '—'}</td>
              <td>{invoice.total ? `${invoice.total} ${invoice.currency ?? ''}` : '—'}</td>
              <td>{invoice.status === 'APPROVED' ? 'Approved by a reviewer' : 'Completed automatically'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function VendorDetailView({ vendorId }: { vendorId: string }) {
  const vendor = useVendor(vendorId);
  if (vendor.isPending) return <Loading label="Loading the vendor…" />;
  if (vendor.isError) return <ErrorMessage error={vendor.error} title="Could not load the vendor." onRetry={() => void vendor.refetch()} />;
  return <VendorView detail={vendor.data} />;
}
