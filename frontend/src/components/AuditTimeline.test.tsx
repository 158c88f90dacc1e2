import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AuditTimeline } from './AuditTimeline';

describe('AuditTimeline', () => {
  it('orders events by time and shows each corrected field before → after', () => {
    render(
      <AuditTimeline
        events={[
          { event: 'approved', actor: 'r.ev', at: '2026-03-01T10:05:00.001Z', details: { reason: 'ok', version: 9 }, before: null, after: null },
          {
            event: 'corrected',
            actor: 'r.ev',
            at: '2026-03-01T10:05:00.000Z',
            details: { fields: ['due_date', 'total_amount'] },
            before: { due_date: '2026-04-03', total_amount: null },
            after: { due_date: '2026-05-03', total_amount: '10.00' },
          },
          { event: 'created', actor: 'c.lerk', at: '2026-03-01T10:00:00.000Z', details: { filename: 'a.pdf' }, before: null, after: null },
        ]}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Audit trail' })).getAllByRole('listitem');
    expect(items.map((item) => item.dataset.event)).toEqual(['created', 'corrected', 'approved']);
    const due = items[1]?.querySelector('[data-field="due_date"]');
    expect(due?.querySelector('del')).toHaveTextContent('2026-04-03');
    expect(due?.querySelector('ins')).toHaveTextContent('2026-05-03');
    expect(items[1]?.querySelector('[data-field="total_amount"] del')).toHaveTextContent('—');
    expect(items[1]).toHaveTextContent('Field corrected by r.ev');
    expect(items[2]).toHaveTextContent('reason');
  });

  it('says so when there is nothing yet', () => {
    render(<AuditTimeline events={[]} />);
    expect(screen.getByText('No audit records yet.')).toBeInTheDocument();
  });
});
