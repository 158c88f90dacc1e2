import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EINVOICE_RESULT } from '@/testing/einvoice';
import { EInvoiceDocument } from './EInvoiceDocument';

describe('EInvoiceDocument', () => {
  it('renders an XML-only e-invoice as an invoice: header, parties, lines, VAT and totals', () => {
    render(<EInvoiceDocument result={EINVOICE_RESULT} />);
    const invoice = screen.getByRole('article', { name: 'The e-invoice, rendered from its XML' });
    expect(within(invoice).getByRole('heading', { name: 'Invoice RE-2025-0042' })).toBeInTheDocument();
    expect(invoice).toHaveTextContent('E-invoice (XRechnung UBL)');
    const parties = within(invoice).getByLabelText('Parties');
    expect(parties).toHaveTextContent('Rheinwerk Logistik GmbH');
    expect(parties).toHaveTextContent('Stadtwerke Musterstadt');
    const lines = within(invoice).getByRole('table', { name: 'Invoice lines' });
    expect(within(lines).getAllByRole('row')).toHaveLength(3); // header and two lines
    expect(within(lines).getByRole('row', { name: /Kaffee/ })).toHaveTextContent('10 KGM');
    expect(within(invoice).getByRole('table', { name: 'VAT breakdown' })).toHaveTextContent('34.55');
    const totals = within(invoice).getByLabelText('Totals');
    expect(totals).toHaveTextContent('Total amount1469.55 EUR');
    expect(totals).toHaveTextContent('Paid in advance100.00 EUR');
    expect(totals).toHaveTextContent('Amount due1369.55 EUR');
    expect(invoice).toHaveTextContent('IBAN DE89370400440532013000');
  });

  it('calls a credit note a credit note', () => {
    render(<EInvoiceDocument result={{ ...EINVOICE_RESULT, document_type: 'credit_note' }} />);
    expect(screen.getByRole('heading', { name: 'Credit note RE-2025-0042' })).toBeInTheDocument();
  });
});
