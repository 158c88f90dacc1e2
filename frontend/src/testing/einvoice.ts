/**
 * An e-invoice result as `docuflow extract` gives it for a generated XRechnung (UBL),
 * trimmed to what the screens use. Parsed with the generated schema, so a contract change
 * fails here first.
 */
import { extractionResultSchema, type ExtractionResult } from '@/types/api';

const exact = (value: string, label: string, path: string, text = value) => ({
  value,
  text,
  confidence: 100,
  source: 'einvoice',
  label,
  xml_path: `/Invoice/${path}`,
});

export const EINVOICE_RESULT: ExtractionResult = extractionResultSchema.parse({
  document_type: 'invoice',
  pages: 0,
  fields: {
    vendor_name: exact('Rheinwerk Logistik GmbH', 'BT-27', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'),
    vendor_address: { ...exact('Hafenstraße 12, 50667 Köln, DE', 'BG-5', 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress') },
    vendor_tax_id: exact('DE123456789', 'BT-31', "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"),
    invoice_number: exact('RE-2025-0042', 'BT-1', 'cbc:ID'),
    document_date: exact('2025-03-14', 'BT-2', 'cbc:IssueDate'),
    due_date: exact('2025-04-13', 'BT-9', 'cbc:DueDate'),
    currency: exact('EUR', 'BT-5', 'cbc:DocumentCurrencyCode'),
    subtotal: exact('1245.00', 'BT-109', 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount'),
    tax_amount: exact('224.55', 'BT-110', 'cac:TaxTotal/cbc:TaxAmount'),
    total_amount: exact('1469.55', 'BT-112', 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount'),
    prepaid_amount: exact('100.00', 'BT-113', 'cac:LegalMonetaryTotal/cbc:PrepaidAmount'),
    amount_due: exact('1369.55', 'BT-115', 'cac:LegalMonetaryTotal/cbc:PayableAmount'),
    bank_account: exact('DE89370400440532013000', 'BT-84', 'cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID'),
    buyer_name: exact('Stadtwerke Musterstadt', 'BT-44', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'),
    buyer_reference: exact('04011000-12345-03', 'BT-10', 'cbc:BuyerReference'),
  },
  line_items: [
    {
      description: 'Palettenregal',
      quantity: '40',
      unit_price: '25.00',
      amount: '1000.00',
      confidence: 100,
      source: 'einvoice',
      unit_code: 'H87',
      tax_category: 'S',
      tax_rate: '19',
      xml_path: '/Invoice/cac:InvoiceLine[1]',
    },
    {
      description: 'Kaffee',
      quantity: '10',
      unit_price: '24.50',
      amount: '245.00',
      confidence: 100,
      source: 'einvoice',
      unit_code: 'KGM',
      tax_category: 'S',
      tax_rate: '7',
      xml_path: '/Invoice/cac:InvoiceLine[2]',
    },
  ],
  tax_breakdown: [
    { category: 'S', rate: '19', taxable_amount: '1000.00', tax_amount: '190.00', source: 'einvoice' },
    { category: 'S', rate: '7', taxable_amount: '245.00', tax_amount: '34.55', source: 'einvoice' },
  ],
  allowances_charges: [],
  checks: {
    totals_add_up: { status: 'pass', message: 'The totals add up as EN 16931 computes them (BR-CO-13 to BR-CO-16).' },
  },
  routing: {
    status: 'NEEDS_REVIEW',
    reasons: [
      {
        code: 'DUPLICATE_INVOICE',
        field: 'invoice_number',
        message: 'An invoice with the same vendor and invoice number is already known (job 1).',
      },
    ],
  },
  einvoice: {
    syntax: 'UBL 2.1 Invoice',
    flavour: 'XRechnung UBL',
    label: 'E-invoice (XRechnung UBL)',
    type_code: '380',
    en16931: true,
  },
});
