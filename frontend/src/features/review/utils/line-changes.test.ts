import { describe, expect, it } from 'vitest';
import { lineChanges } from './line-items';

describe('lineChanges', () => {
  it('names edited cells, added and deleted lines', () => {
    const before = [
      { description: 'Paper', quantity: '2', unit_price: '5.00', amount: '10.00', page: 1, confidence: 90 },
      { description: 'Ink', quantity: '1', unit_price: '30.00', amount: '30.00', page: 1, confidence: 90 },
    ];
    const after = [
      { line: 1, description: 'Paper', quantity: '3', unit_price: '5.00', amount: '15.00' },
      { line: null, description: 'Delivery', amount: '4.50' },
    ];
    expect(lineChanges(before, after)).toEqual([
      'Line 1: Qty 2 → 3, Amount 10.00 → 15.00',
      'Added a line: Description Delivery, Amount 4.50',
      'Deleted line 2: Description Ink, Qty 1, Unit price 30.00, Amount 30.00',
    ]);
  });
});
