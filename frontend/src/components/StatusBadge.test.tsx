import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { JOB_STATUSES } from '@/types/api';
import { StatusBadge } from './StatusBadge';

describe('StatusBadge', () => {
  it('shows every status of the status model as a word with its tone', () => {
    const tones = new Map<string, string>();
    for (const status of JOB_STATUSES) {
      const { unmount } = render(<StatusBadge status={status} />);
      const badge = screen.getByText((_, element) => element?.getAttribute('data-status') === status);
      expect(badge.textContent, status).toMatch(/^[A-Z][a-z ]+$/);
      tones.set(status, badge.className);
      unmount();
    }
    expect(tones.get('NEEDS_REVIEW')).toContain('badge--warning');
    expect(tones.get('FAILED')).toContain('badge--danger');
    expect(tones.get('COMPLETED')).toContain('badge--success');
    expect(tones.get('PROCESSING')).toContain('badge--info');
  });
});
