/** Formatting shared by every screen. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function fieldLabel(name: string): string {
  const line = /^line_items\.(\d+)$/.exec(name);
  if (line) return `Line ${line[1]}`;
  const special: Record<string, string> = {
    vendor_tax_id: 'Vendor tax ID',
    purchase_order: 'Purchase order',
    remittance_email: 'Remittance e-mail',
    bank_bic: 'BIC',
    buyer_tax_id: 'Buyer tax ID',
    prepaid_amount: 'Paid in advance',
    line_total: 'Sum of lines',
    allowance_total: 'Allowances',
    charge_total: 'Charges',
  };
  const label = special[name] ?? name.replace(/_/g, ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');
}
