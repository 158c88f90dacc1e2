import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '@/lib/format';
import { VendorView } from './VendorDetailView';

describe('VendorView', () => {
  it('lists the names, the accounts with their dates, the invoices and what was learned', () => {
    render(
      <MemoryRouter>
        <VendorView
          detail={{
            vendor: {
              vendor_id: 'tax-GB1',
              name: 'Brightwater Supplies Limited',
              names: ['Brightwater Supplies Ltd', 'Brightwater Supplies Limited'],
              tax_id: 'GB1',
              addresses: [],
              accounts: [
                { iban: 'DE89370400440532013000', first_seen: '2026-11-01T10:00:00Z', last_seen: '2026-11-02T10:00:00Z', job_ids: ['j1', 'j2'] },
                { iban: 'GB82WEST12345698765432', first_seen: '2026-11-03T10:00:00Z', last_seen: '2026-11-03T10:00:00Z', job_ids: ['j3'] },
              ],
              currencies: { EUR: 3 },
              totals: { EUR: { minimum: '10.00', maximum: '20.00', count: 3 } },
              invoice_count: 3,
              hints: { vendor_name: 'Brightwater Supplies Limited', invoice_number_label: null, learned_from: ['j3'] },
              first_seen: '2026-11-01T10:00:00Z',
              last_seen: '2026-11-03T10:00:00Z',
            },
            invoices: [
              { job_id: 'j3', status: 'APPROVED', recorded_at: '2026-11-03T10:00:00Z', invoice_number: 'BW-3', document_date: '2026-11-03', currency: 'EUR', total: '20.00', iban: 'GB82WEST12345698765432' },
            ],
            next_cursor: null,
          }}
        />
      </MemoryRouter>,
    );
    expect(within(screen.getByRole('list', { name: 'Names seen' })).getAllByRole('listitem')).toHaveLength(2);
    const accounts = within(screen.getByRole('table', { name: 'Bank accounts' })).getAllByRole('row');
    expect(accounts[1]).toHaveTextContent('DE89370400440532013000');
    expect(accounts[2]).toHaveTextContent('GB82WEST12345698765432');
    // The invoice by its number, its amount in its currency, and its status as the badge every screen uses
    const invoice = screen.getByTestId('vendor-invoice');
    expect(invoice).toHaveTextContent('No. BW-3');
    expect(invoice).toHaveTextContent(formatMoney('20.00', 'EUR'));
    expect(invoice.querySelector('[data-status]')).toHaveAttribute('data-status', 'APPROVED');
    expect(screen.getByText(/Learned from reviewers/)).toHaveTextContent('Brightwater Supplies Limited');
  });
});
