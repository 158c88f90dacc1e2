import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoData } from '@/testing/demo-data';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { ReviewQueue } from './ReviewQueue';

const { server } = createTestApi();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('ReviewQueue', () => {
  it('lists invoices waiting for review, newest first, with reasons; j/k select, Enter opens', async () => {
    const waiting = demoData()
      .jobs.map((j) => j.job)
      .filter((job) => job.status === 'NEEDS_REVIEW')
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    const user = userEvent.setup();
    renderWithApp(<ReviewQueue />, { route: '/review', path: '/review' });
    const items = await screen.findAllByTestId('queue-item');
    expect(items.map((item) => item.querySelector('a')?.textContent)).toEqual(waiting.map((job) => job.summary.vendor_name ?? job.filename));
    for (const [index, job] of waiting.entries()) {
      for (const reason of job.review_reasons) expect(items[index]).toHaveTextContent(reason.message);
    }
    expect(items[0]).toHaveClass('queue__item--selected');
    await user.keyboard('jj');
    expect(items[2]).toHaveClass('queue__item--selected');
    await user.keyboard('k');
    expect(items[1]).toHaveClass('queue__item--selected');
    await user.keyboard('{Enter}');
    expect(await screen.findByText('elsewhere')).toBeInTheDocument(); // navigated to /review/<id>
  });
});
