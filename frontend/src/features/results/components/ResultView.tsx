import { FieldConfidence } from '@/components/FieldConfidence';
import { LOW_CONFIDENCE } from '@/lib/confidence';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { fieldLabel } from '@/lib/format';
import type { Check, ExtractionResult } from '@/types/api';
import { FIELD_NAMES } from '@/types/domain';
import { useResult } from '../api/get-result';

const CHECK_WORD: Record<Check['status'], string> = { pass: 'Passed', fail: 'Failed', skipped: 'Skipped' };

/** Every field read, and every field a reviewer added, in reading order. */
function orderedFields(names: string[]): string[] {
  const known = FIELD_NAMES.filter((name) => names.includes(name));
  const extra = names.filter((name, index) => !(FIELD_NAMES as readonly string[]).includes(name) && names.indexOf(name) === index);
  return [...known, ...extra];
}

export type Corrections = Record<string, { before: string | null; after: string }>;

export function ResultDetails({ result, corrections = {} }: { result: ExtractionResult; corrections?: Corrections }) {
  // The API always sends these; the contract lets them be absent, so they default here.
  const fields = result.fields ?? {};
  const reasons = result.routing.reasons ?? [];
  const warnings = result.warnings ?? [];
  const lineItems = result.line_items ?? [];
  const otherFields = result.other_fields ?? [];
  const checks = Object.entries(result.checks ?? {});
  return (
    <div className="result">
      <section aria-labelledby="routing-heading" className="panel">
        <h2 id="routing-heading">
          {result.routing.status === 'NEEDS_REVIEW' ? 'Why it went to review' : 'Routing'}
        </h2>
        {reasons.length === 0 ? (
          <p>All checks passed; no review needed.</p>
        ) : (
          <ul className="reasons">
            {reasons.map((reason, index) => (
              <li key={`${reason.code}-${index}`}>
                {reason.message}
                {reason.field && <span className="muted"> ({fieldLabel(reason.field)})</span>}
              </li>
            ))}
          </ul>
        )}
        {warnings.length > 0 && (
          <>
            <h3>Warnings</h3>
            <ul>
              {warnings.map((warning, index) => (
                <li key={index}>{warning}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="fields-heading" className="panel">
        <h2 id="fields-heading">
          Fields{' '}
          <span className="muted">
            ({result.document_type.replace('_', ' ')}
            {result.einvoice && !result.einvoice.attachment ? '' : `, ${result.pages} page${result.pages === 1 ? '' : 's'}`})
          </span>
        </h2>
        {result.einvoice && (
          <p className="einvoice-label">
            <strong>{result.einvoice.label}</strong>
            {result.einvoice.attachment ? ` carried by the PDF as ${result.einvoice.attachment}` : ''}: every value was read
            exactly from the XML, without text recognition.
          </p>
        )}
        <table className="table" aria-label="Extracted fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
              <th scope="col">As printed</th>
              <th scope="col">Confidence</th>
              <th scope="col">Page</th>
            </tr>
          </thead>
          <tbody>
            {orderedFields([...Object.keys(fields), ...Object.keys(corrections)]).map((name) => {
              const field = fields[name];
              const correction = corrections[name];
              if (!field) {
                // Not on the document as read: the reviewer supplied it.
                return correction ? (
                  <tr key={name}>
                    <th scope="row">{fieldLabel(name)}</th>
                    <td>
                      {correction.after} <span className="tag tag--corrected">added by the reviewer</span>
                    </td>
                    <td className="muted">—</td>
                    <td className="muted">—</td>
                    <td>—</td>
                  </tr>
                ) : null;
              }
              return (
                <tr key={name} className={field.confidence < LOW_CONFIDENCE ? 'row--low' : undefined}>
                  <th scope="row">{fieldLabel(name)}</th>
                  <td>
                    {correction ? (
                      <>
                        {correction.after} <span className="tag tag--corrected">corrected from {field.value}</span>
                      </>
                    ) : (
                      field.value
                    )}
                  </td>
                  <td className="muted">{field.text}</td>
                  <td>
                    <FieldConfidence field={field} />
                  </td>
                  <td>{field.page ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="checks-heading" className="panel">
        <h2 id="checks-heading">Checks</h2>
        {checks.length === 0 ? (
          <p className="muted">No checks ran.</p>
        ) : (
          <ul className="checks">
            {checks.map(([name, check]) => (
              <li key={name} className={`check check--${check.status}`}>
                <span className="check__status">{CHECK_WORD[check.status]}</span> <strong>{name.replace(/_/g, ' ')}</strong>:{' '}
                {check.message}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="lines-heading" className="panel">
        <h2 id="lines-heading">Line items</h2>
        {lineItems.length === 0 ? (
          <p className="muted">No line items found.</p>
        ) : (
          <table className="table" aria-label="Line items">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" className="num">Quantity</th>
                <th scope="col" className="num">Unit price</th>
                <th scope="col" className="num">Amount</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {lineItems.map((line, index) => (
                <tr key={index}>
                  <td>{line.description ?? '—'}</td>
                  <td className="num">
                    {line.quantity ?? '—'}
                    {line.unit_code ? ` ${line.unit_code}` : ''}
                  </td>
                  <td className="num">{line.unit_price ?? '—'}</td>
                  <td className="num">{line.amount ?? '—'}</td>
                  <td>
                    <FieldConfidence field={line} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {otherFields.length > 0 && (
        <section aria-labelledby="other-heading" className="panel">
          <h2 id="other-heading">Other key-value pairs</h2>
          <dl className="facts">
            {otherFields.map((other, index) => (
              <div key={`${other.key}-${index}`}>
                <dt>{other.key}</dt>
                <dd>
                  {other.value} <FieldConfidence field={other} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}

export function ResultView({ jobId, ready, corrections }: { jobId: string; ready: boolean; corrections?: Corrections | null }) {
  const result = useResult(jobId, ready);
  if (!ready) return <p className="muted panel">The result appears here once processing has finished.</p>;
  if (result.isPending) return <Loading label="Loading the result…" />;
  if (result.isError) return <ErrorMessage error={result.error} title="Could not load the result." onRetry={() => void result.refetch()} />;
  return <ResultDetails result={result.data} corrections={corrections ?? {}} />;
}
