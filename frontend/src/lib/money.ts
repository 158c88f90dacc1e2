/**
 * Amounts as people type them, and the minor units of the invoice's currency (writing amounts for reading is `format.ts`).
 *
 * The API takes one plain decimal (`1234.50`) and refuses anything else (ADR 0011); a
 * reviewer types what the document prints (`1.234,50`, `1,234.50`, `1 234,50`, `93,50`).
 * `readTypedAmount` turns the second into the first only when there is one reading, and
 * says so otherwise: the amount saved is never a guess.
 */

/** The currency's minor units (2 for EUR, 0 for JPY, 3 for BHD), from the browser's ISO 4217 data. */
export function minorUnits(currency: string | null | undefined): number | null {
  if (!currency) return null;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}

export type AmountReading = { ok: true; value: string } | { ok: false; error: string };

// Blanks people and documents put between digit groups: space, no-break and thin spaces, apostrophes (Swiss).
const GROUP_BLANKS = /[\s\u00a0\u202f\u2009'’]/g;
const MAX_DECIMALS_ANY_CURRENCY = 4;

function fail(error: string): AmountReading {
  return { ok: false, error };
}

/** Groups after the first must have three digits: `1.234.567`, never `12.34.5`. */
function groupsOk(groups: string[]): boolean {
  return groups.every((group, index) => /^\d+$/.test(group) && (index === 0 ? group.length <= 3 : group.length === 3));
}

/**
 * A typed amount as the plain decimal the API wants, padded to the currency's minor units,
 * or why it cannot be read. `1,234` is refused: a thousand and thirty-four, or one and a
 * bit? Only the person typing knows.
 */
export function readTypedAmount(raw: string, currency: string | null | undefined): AmountReading {
  const text = raw.trim().replace(/^\u2212/, '-');
  if (text === '') return fail('Enter an amount.');
  const negative = text.startsWith('-');
  const body = (negative ? text.slice(1) : text).trim();
  const spaced = GROUP_BLANKS.test(body);
  const compact = body.replace(GROUP_BLANKS, '');
  if (!/^[\d.,]+$/.test(compact) || !/\d/.test(compact)) {
    return fail(`“${raw.trim()}” is not an amount: type digits, with a comma or a point before the decimals (no currency sign).`);
  }
  const dots = compact.split('.').length - 1;
  const commas = compact.split(',').length - 1;
  let integer: string;
  let decimals = '';
  if (dots && commas) {
    // Both: the last one is the decimal mark, the other groups thousands.
    const mark = compact.lastIndexOf('.') > compact.lastIndexOf(',') ? '.' : ',';
    const group = mark === '.' ? ',' : '.';
    const at = compact.lastIndexOf(mark);
    if (compact.slice(0, at).includes(mark)) return fail(`“${raw.trim()}” has more than one decimal mark.`);
    if (!groupsOk(compact.slice(0, at).split(group))) return fail(`“${raw.trim()}” groups its thousands oddly.`);
    integer = compact.slice(0, at).split(group).join('');
    decimals = compact.slice(at + 1);
  } else if (dots + commas === 0) {
    integer = compact;
  } else {
    const mark = dots ? '.' : ',';
    const parts = compact.split(mark);
    if (parts.length > 2) {
      // `1.234.567`: only thousands.
      if (!groupsOk(parts)) return fail(`“${raw.trim()}” groups its thousands oddly.`);
      integer = parts.join('');
    } else {
      const [left = '', right = ''] = parts;
      if (right.length === 3 && !spaced && minorUnits(currency) !== 3) {
        return fail(
          `“${raw.trim()}” could be ${left}${right} or ${left}.${right}: type ${left}${right} for the first, or add the decimals (${left}${mark}${right}${mark === '.' ? ',' : '.'}00) to say which.`,
        );
      }
      if (spaced && right.length === 3 && minorUnits(currency) !== 3) {
        return fail(`“${raw.trim()}” is ambiguous; type the amount with its decimals, e.g. ${left}${right}${mark}00.`);
      }
      integer = left;
      decimals = right;
    }
  }
  if (spaced && !groupsOk(body.replace(/[.,]\d*$/, '').split(GROUP_BLANKS).filter(Boolean))) {
    return fail(`“${raw.trim()}” groups its thousands oddly.`);
  }
  if (integer === '' || !/^\d+$/.test(integer) || (decimals !== '' && !/^\d+$/.test(decimals))) {
    return fail(`“${raw.trim()}” is not an amount.`);
  }
  const places = minorUnits(currency);
  const allowed = places ?? MAX_DECIMALS_ANY_CURRENCY;
  if (decimals.length > allowed) {
    return fail(
      places === 0
        ? `${currency} amounts have no decimals.`
        : `“${raw.trim()}” has ${decimals.length} decimals; ${currency ?? 'an amount'} has at most ${allowed}.`,
    );
  }
  const padded = places === null ? decimals : decimals.padEnd(places, '0');
  const digits = integer.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return fail(`“${raw.trim()}” is too large to be an amount.`);
  const value = `${negative ? '-' : ''}${digits}${padded ? `.${padded}` : ''}`;
  return { ok: true, value };
}
