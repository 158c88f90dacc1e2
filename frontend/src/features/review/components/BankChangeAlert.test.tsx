import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BankChangeAlert } from './BankChangeAlert';

describe('BankChangeAlert', () => {
  it('shows the known account against the one the invoice asks for', () => {
    render(
      <BankChangeAlert
        reason={{
          code: 'BANK_DETAILS_CHANGED',
          field: 'bank_account',
          message: 'Bank details changed: Acme was paid to DE89… ; this invoice asks for GB82….',
          evidence: {
            vendor_id: 'tax-DE1',
            known_accounts: ['DE89370400440532013000'],
            new_account: 'GB82WEST12345698765432',
          },
        }}
      />,
    );
    const alert = screen.getByRole('alert', { name: 'Bank details changed' });
    const accounts = within(alert).getAllByRole('definition');
    expect(accounts[0]).toHaveTextContent('DE89370400440532013000');
    expect(accounts[1]).toHaveTextContent('GB82WEST12345698765432');
  });
});
