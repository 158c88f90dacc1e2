import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Job } from '@/types/api';
import { InvoiceTitle } from './InvoiceTitle';

const summary: Job['summary'] = { vendor_name: null, invoice_number: null, document_date: null, due_date: null, total_amount: null, currency: null };
const title = (changes: Partial<Job['summary']>) =>
  render(<InvoiceTitle job={{ filename: 'scan-0042.pdf', summary: { ...summary, ...changes } }} />).container;

describe('InvoiceTitle', () => {
  it('names a read invoice by vendor and number, the file as the second line', () => {
    const shown = title({ vendor_name: 'Brightwater Supplies Ltd', invoice_number: 'BW-3' });
    expect(shown.firstChild?.textContent).toBe('Brightwater Supplies Ltd · No. BW-3');
    expect(shown.querySelector('.secondary')).toHaveTextContent('scan-0042.pdf');
  });

  it('names it by vendor alone without a number, and by its file before it is read', () => {
    expect(title({ vendor_name: 'Brightwater Supplies Ltd' }).firstChild?.textContent).toBe('Brightwater Supplies Ltd');
    const unread = title({});
    expect(unread.textContent).toBe('scan-0042.pdf');
    expect(unread.querySelector('.secondary')).toBeNull();
  });
});
