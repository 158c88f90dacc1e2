import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { ReviewQueue } from './ReviewQueue';

const { server } = createTestApi();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('ReviewQueue', () => {
  it('lists invoices waiting for review, newest first, with reasons; j/k select, Enter opens', async () => {
    const user = userEvent.setup();
    renderWithApp(<ReviewQueue />, { route: '/review', path: '/review' });
    const items = await screen.findAllByTestId('queue-item');
    expect(items.map((item) => item.querySelector('a')?.textContent)).toEqual([
      'fabrikam-FPC-30317.pdf',
      'contoso-catering-5521.pdf',
      'bluebird-march-freight.pdf',
    ]);
    expect(items[1]).toHaveTextContent('The due date was read with 63% confidence (below 80%).');
    expect(items[0]).toHaveClass('queue__item--selected');
    await user.keyboard('jj');
    expect(items[2]).toHaveClass('queue__item--selected');
    await user.keyboard('k');
    expect(items[1]).toHaveClass('queue__item--selected');
    await user.keyboard('{Enter}');
    expect(await screen.findByText('elsewhere')).toBeInTheDocument(); // navigated to /review/<id>
  });
});
