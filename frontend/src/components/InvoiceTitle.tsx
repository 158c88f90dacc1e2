import type { Job } from '@/types/api';

/**
 * An invoice named as a person knows it: its vendor and number once read, the file name
 * as the second line; until it is read (or when nothing could be), its file name.
 */
export function InvoiceTitle({ job }: { job: Pick<Job, 'filename' | 'summary'> }) {
  const { vendor_name: vendor, invoice_number: number } = job.summary;
  if (!vendor) return <>{job.filename}</>;
  return (
    <>
      {number ? `${vendor} · No. ${number}` : vendor}
      <span className="secondary">{job.filename}</span>
    </>
  );
}
