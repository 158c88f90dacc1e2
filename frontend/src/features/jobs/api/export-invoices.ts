import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { JobStatus } from '@/types/api';

export interface ExportFilter {
  status?: JobStatus;
}

/**
 * GET /exports?format=csv: the company's invoices as CSV, saved as a file. One page of
 * up to 500 invoices (the API pages larger exports; docs/integrations.md).
 */
export async function exportInvoices(filter: ExportFilter): Promise<Blob> {
  return api.download('/exports', { format: 'csv', status: filter.status, limit: 500 });
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export function useExportInvoices() {
  return useMutation({
    mutationFn: async (filter: ExportFilter) => {
      const blob = await exportInvoices(filter);
      save(blob, `invoices-${new Date().toISOString().slice(0, 10)}.csv`);
    },
  });
}
