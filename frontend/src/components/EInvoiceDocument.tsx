import { fieldLabel } from '@/lib/format';
import type { ExtractionResult } from '@/types/api';

const TOTALS = [
  'line_total',
  'allowance_total',
  'charge_total',
  'subtotal',
  'tax_amount',
  'total_amount',
  'prepaid_amount',
  'amount_due',
] as const;

/**
 * An XML-only e-invoice has no pages to show: this is the invoice as a person reads it
 * (header, parties, lines, totals), drawn from the values read from its XML.
 */
export function EInvoiceDocument({ result }: { result: ExtractionResult }) {
  const fields = result.fields ?? {};
  const value = (name: string) => fields[name]?.value;
  const currency = value('currency') ?? '';
  const lines = result.line_items ?? [];
  const adjustments = result.allowances_charges ?? [];
  const vat = result.tax_breakdown ?? [];
  const typeWord = result.document_type === 'credit_note' ? 'Credit note' : result.document_type === 'corrected_invoice' ? 'Corrected invoice' : 'Invoice';
  const party = (name: string | undefined, address: string | undefined, taxId: string | undefined) => (
    <>
      <p className="einvoice-doc__name">{name ?? '—'}</p>
      {address && <p>{address}</p>}
      {taxId && <p className="muted">VAT / tax ID {taxId}</p>}
    </>
  );
  return (
    <article className="einvoice-doc" aria-label="The e-invoice, rendered from its XML">
      <header className="einvoice-doc__header">
        <p className="muted">{result.einvoice?.label ?? 'E-invoice'} — rendered from the XML; there is no picture of it.</p>
        <h3>
          {typeWord} {value('invoice_number') ?? ''}
        </h3>
        <dl className="einvoice-doc__facts">
          <dt>Issued</dt>
          <dd>{value('document_date') ?? '—'}</dd>
          {value('due_date') && (
            <>
              <dt>Due</dt>
              <dd>{value('due_date')}</dd>
            </>
          )}
          {value('delivery_date') && (
            <>
              <dt>Delivered</dt>
              <dd>{value('delivery_date')}</dd>
            </>
          )}
          {value('purchase_order') && (
            <>
              <dt>Purchase order</dt>
              <dd>{value('purchase_order')}</dd>
            </>
          )}
          {value('buyer_reference') && (
            <>
              <dt>Buyer reference</dt>
              <dd>{value('buyer_reference')}</dd>
            </>
          )}
        </dl>
      </header>
      <section className="einvoice-doc__parties" aria-label="Parties">
        <div>
          <h4>Seller</h4>
          {party(value('vendor_name'), value('vendor_address'), value('vendor_tax_id'))}
        </div>
        <div>
          <h4>Buyer</h4>
          {party(value('buyer_name'), value('buyer_address'), value('buyer_tax_id'))}
        </div>
      </section>
      <table className="table" aria-label="Invoice lines">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">Quantity</th>
            <th scope="col" className="num">Unit price</th>
            <th scope="col" className="num">VAT</th>
            <th scope="col" className="num">Net</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr key={index}>
              <td>{line.description ?? '—'}</td>
              <td className="num">
                {line.quantity ?? '—'} {line.unit_code ?? ''}
              </td>
              <td className="num">
                {line.unit_price ?? '—'}
                {line.price_base_quantity ? ` / ${line.price_base_quantity}` : ''}
              </td>
              <td className="num">{line.tax_rate ? `${line.tax_rate} %` : (line.tax_category ?? '—')}</td>
              <td className="num">{line.amount ?? '—'}</td>
            </tr>
          ))}
          {adjustments
            .filter((item) => item.line == null)
            .map((item, index) => (
              <tr key={`adjustment-${index}`}>
                <td>
                  {item.kind === 'allowance' ? 'Allowance' : 'Charge'}
                  {item.reason ? `: ${item.reason}` : ''}
                </td>
                <td className="num">{item.percent ? `${item.percent} %` : ''}</td>
                <td className="num">{item.base_amount ?? ''}</td>
                <td className="num">{item.tax_rate ? `${item.tax_rate} %` : (item.tax_category ?? '')}</td>
                <td className="num">{item.amount ? `${item.kind === 'allowance' ? '−' : ''}${item.amount}` : '—'}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {vat.length > 0 && (
        <table className="table" aria-label="VAT breakdown">
          <thead>
            <tr>
              <th scope="col">VAT category</th>
              <th scope="col" className="num">Rate</th>
              <th scope="col" className="num">Taxable</th>
              <th scope="col" className="num">VAT</th>
            </tr>
          </thead>
          <tbody>
            {vat.map((item, index) => (
              <tr key={index}>
                <td>
                  {item.category ?? '—'}
                  {item.exemption_reason ? ` (${item.exemption_reason})` : ''}
                </td>
                <td className="num">{item.rate ? `${item.rate} %` : '—'}</td>
                <td className="num">{item.taxable_amount ?? '—'}</td>
                <td className="num">{item.tax_amount ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="einvoice-doc__totals" aria-label="Totals">
        {TOTALS.filter((name) => value(name) !== undefined).map((name) => (
          <div key={name} className={name === 'amount_due' ? 'einvoice-doc__due' : undefined}>
            <dt>{fieldLabel(name)}</dt>
            <dd>
              {value(name)} {currency}
            </dd>
          </div>
        ))}
      </dl>
      {(value('bank_account') || value('payment_terms')) && (
        <footer className="einvoice-doc__payment">
          {value('payment_terms') && <p>{value('payment_terms')}</p>}
          {value('bank_account') && (
            <p>
              IBAN {value('bank_account')}
              {value('bank_bic') ? `, BIC ${value('bank_bic')}` : ''}
            </p>
          )}
        </footer>
      )}
    </article>
  );
}
