import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname);
const css = readFileSync(join(SRC, 'styles.css'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path);
    return /\.(tsx?|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('design tokens (styles.css)', () => {
  it('every var(--…) the stylesheet and the components use is a token the stylesheet defines', () => {
    // An unknown custom property falls back silently (a chart turns black): catch it here.
    const defined = new Set([...css.matchAll(/(--[\w-]+)\s*:/g)].map((match) => match[1]));
    const unknown = sources(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/var\((--[\w-]+)/g)]
        .map((match) => match[1] ?? '')
        .filter((name) => !defined.has(name))
        .map((name) => `${name} in ${file.slice(SRC.length + 1)}`),
    );
    expect(unknown).toEqual([]);
  });

  it('every text colour of the palette has AA contrast (4.5:1) on the backgrounds it is used on', () => {
    const token = (name: string) => {
      const value = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1];
      if (!value) throw new Error(`no colour token --${name}`);
      return value;
    };
    // WCAG 2.1 relative luminance and contrast ratio.
    const luminance = (hex: string) => {
      const [r = 0, g = 0, b = 0] = [1, 3, 5].map((at) => {
        const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (fg: string, bg: string) => {
      const [light, dark] = [luminance(token(fg)), luminance(token(bg))].sort((x, y) => y - x);
      return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
    };
    const pairs: [string, string][] = [
      ...['color-text', 'color-text-muted', 'color-brand', 'color-success', 'color-warning', 'color-danger'].flatMap(
        (fg): [string, string][] => ['color-bg', 'color-surface', 'color-surface-muted'].map((bg) => [fg, bg]),
      ),
      ['color-on-brand', 'color-brand'],
      ['color-on-brand', 'color-danger'],
      ['color-brand', 'color-brand-soft'],
      ['color-header-text', 'color-header'],
      ['color-header-active', 'color-header'],
      ['color-neutral', 'color-neutral-soft'],
      ['color-info', 'color-info-soft'],
      ['color-success-strong', 'color-success-soft'],
      ['color-warning-strong', 'color-warning-soft'],
      ['color-warning', 'color-warning-soft'],
      ['color-danger-strong', 'color-danger-soft'],
    ];
    const low = pairs.filter(([fg, bg]) => contrast(fg, bg) < 4.5).map(([fg, bg]) => `${fg} on ${bg}: ${contrast(fg, bg).toFixed(2)}`);
    expect(low).toEqual([]);
  });
});
