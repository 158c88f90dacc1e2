import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConfidenceBadge } from './ConfidenceBadge';

const shown = (confidence: number) => render(<ConfidenceBadge confidence={confidence} />).container.textContent;

describe('ConfidenceBadge', () => {
  it('rounds once, down, so the number and the word never disagree', () => {
    // 94.6 is below the 95 of "high": it must not read "95% good" beside a "95% high".
    expect(shown(94.6)).toBe('94% good');
    expect(shown(95)).toBe('95% high');
    expect(shown(79.9)).toBe('79% low');
    expect(shown(80)).toBe('80% good');
    expect(shown(49.99)).toBe('49% very low');
  });
});
