import { Link } from 'react-router';
import { EmptyState, ErrorMessage, Loading } from '@/components/Feedback';
import { StatusBadge } from '@/components/StatusBadge';
import { paths } from '@/config/paths';
import { formatDate, formatDateTime, formatMoney } from '@/lib/format';
import { JOB_STATUSES, type VendorDetail } from '@/types/api';
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
      {vendor.accounts.length === 0 ? (
        <EmptyState title="No bank account seen">Its invoices have not printed an IBAN yet.</EmptyState>
      ) : (
      <table className="table" aria-label="Bank accounts">
        <thead>
          <tr>
            <th scope="col">IBAN</th>
            <th scope="col" className="wide-only">
              First seen
            </th>
            <th scope="col">Last seen</th>
            <th scope="col" className="num">
              Invoices
            </th>
          </tr>
        </thead>
        <tbody>
          {vendor.accounts.map((account) => (
            <tr key={account.iban}>
              <td>
                <code>{account.iban}</code>
              </td>
              <td className="wide-only">{formatDateTime(account.first_seen)}</td>
              <td>{formatDateTime(account.last_seen)}</td>
              <td className="num">{account.job_ids.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      <h3>Invoices</h3>
      {invoices.length === 0 ? (
        <EmptyState title="No invoices recorded">Completed and approved invoices of this vendor show here.</EmptyState>
      ) : (
      <table className="table" aria-label="Invoices">
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col" className="wide-only">
              Date
            </th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => {
            const status = JOB_STATUSES.find((value) => value === invoice.status);
            return (
              <tr key={invoice.job_id} data-testid="vendor-invoice">
                <td className="table__lead">
                  <Link className="table__primary" to={paths.job(invoice.job_id)}>
                    {invoice.invoice_number ? `No. ${invoice.invoice_number}` : 'Invoice without a number'}
                  </Link>
                </td>
                <td className="wide-only">
                  {invoice.document_date ? <time dateTime={invoice.document_date}>{formatDate(invoice.document_date)}</time> : '—'}
                </td>
                <td className="num">{formatMoney(invoice.total, invoice.currency)}</td>
                <td>{status ? <StatusBadge status={status} /> : invoice.status}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      )}
    </section>
  );
}

export function VendorDetailView({ vendorId }: { vendorId: string }) {
  const vendor = useVendor(vendorId);
  if (vendor.isPending) return <Loading label="Loading the vendor…" />;
  if (vendor.isError) return <ErrorMessage error={vendor.error} title="Could not load the vendor." onRetry={() => void vendor.refetch()} />;
  return <VendorView detail={vendor.data} />;
}
