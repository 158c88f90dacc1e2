import type { ReviewReason } from '@/types/api';

function accounts(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * BANK_DETAILS_CHANGED, shown above everything else: the known account(s) against the one
 * this invoice asks to be paid to. Changed bank details are how invoice fraud pays itself.
 */
export function BankChangeAlert({ reason }: { reason: ReviewReason }) {
  const known = accounts(reason.evidence?.known_accounts);
  const [asked] = accounts(reason.evidence?.new_account);
  return (
    <div className="alert alert--error bank-change" role="alert" aria-label="Bank details changed">
      <strong>Bank details changed.</strong> Confirm the change with the vendor by a channel you already know before approving.
      <dl className="bank-change__accounts">
        <dt>Known account{known.length === 1 ? '' : 's'}</dt>
        <dd>
          {known.length > 0 ? known.map((iban) => <code key={iban}>{iban} </code>) : '—'}
        </dd>
        <dt>This invoice asks for</dt>
        <dd>{asked ? <code>{asked}</code> : '—'}</dd>
      </dl>
      <p className="muted">{reason.message}</p>
    </div>
  );
}
