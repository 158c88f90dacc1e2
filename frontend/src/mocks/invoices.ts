/**
 * GENERATED DEMO MATERIAL. Fictional invoices drawn by code with pdf-lib for demo
 * mode; no real document is copied. Each PDF is laid out here, so the bounding box
 * of every printed value is known exactly and the demo's "extraction" is honest.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { BoundingBox, Candidate } from '@/types/api';

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPrice: number;
}

export interface InvoiceSpec {
  key: string;
  vendorName: string;
  vendorAddress: string[];
  vendorTaxId: string;
  invoiceNumber: string | null; // null: not printed (the reviewer has to find it)
  issueDate: string; // ISO
  dueDate: string; // ISO
  dateStyle: 'dmy' | 'mdy' | 'long';
  purchaseOrder?: string;
  paymentTerms: string;
  currency: string;
  lines: InvoiceLine[];
  taxRate: number; // e.g. 0.19
  /** Print a total that does not add up (a typo on the vendor's side). */
  printedTotal?: string;
  remitEmail: string;
  bankAccount: string;
  /** Fields the "OCR" read with low confidence, and the other readings it offered. */
  doubts?: Record<
    string,
    {
      confidence: number;
      /** What the "OCR" made of it, when it misread the print. */
      readAs?: { value: string; text: string };
      alternatives?: Omit<Candidate, 'page' | 'bbox' | 'source'>[];
    }
  >;
}

export const PAGE_WIDTH = 595.28; // A4 in points
export const PAGE_HEIGHT = 841.89;

export interface PlacedText {
  text: string;
  page: number;
  bbox: BoundingBox;
  label?: string;
}

export interface InvoiceLayout {
  pdf: Uint8Array;
  fields: Record<string, PlacedText>;
  lines: { description: PlacedText; amount: PlacedText; quantity: string; unitPrice: string; amountValue: string }[];
}

export function money(value: number): string {
  return value.toFixed(2);
}

export function subtotalOf(spec: InvoiceSpec): number {
  return spec.lines.reduce((sum, line) => sum + Math.round(line.quantity * line.unitPrice * 100), 0) / 100;
}

export function taxOf(spec: InvoiceSpec): number {
  return Math.round(subtotalOf(spec) * spec.taxRate * 100) / 100;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function printedDate(iso: string, style: InvoiceSpec['dateStyle']): string {
  const [y, m, d] = iso.split('-');
  if (style === 'dmy') return `${d}.${m}.${y}`;
  if (style === 'mdy') return `${m}/${d}/${y}`;
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? ''} ${y}`;
}

export function printedMoney(amount: string, currency: string): string {
  const [whole = '0', cents = '00'] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency} ${grouped}.${cents}`;
}

export const DEMO_INVOICES: InvoiceSpec[] = [
  {
    key: 'northwind',
    vendorName: 'Northwind Office Supply GmbH',
    vendorAddress: ['Hafenstrasse 12', '20457 Hamburg, Germany'],
    vendorTaxId: 'DE123456789',
    invoiceNumber: 'NW-2026-0412',
    issueDate: '2026-03-02',
    dueDate: '2026-04-01',
    dateStyle: 'dmy',
    purchaseOrder: 'PO-77120',
    paymentTerms: 'Net 30',
    currency: 'EUR',
    lines: [
      { description: 'Copy paper A4, 80 g (box of 5 reams)', quantity: 12, unitPrice: 24.9 },
      { description: 'Toner cartridge, black, TN-2420', quantity: 4, unitPrice: 61.5 },
      { description: 'Desk organiser, recycled', quantity: 6, unitPrice: 14.25 },
    ],
    taxRate: 0.19,
    remitEmail: 'billing@northwind.example',
    bankAccount: 'DE89 3704 0044 0532 0130 00',
  },
  {
    key: 'bluebird',
    vendorName: 'Bluebird Logistics Ltd',
    vendorAddress: ['Unit 4, Riverside Park', 'Leeds LS11 5QP, United Kingdom'],
    vendorTaxId: 'GB 987 6543 21',
    invoiceNumber: 'BBL-10988',
    issueDate: '2026-03-10',
    dueDate: '2026-04-09',
    dateStyle: 'long',
    purchaseOrder: 'PO-77245',
    paymentTerms: '30 days',
    currency: 'GBP',
    lines: [
      { description: 'Pallet freight Leeds - Rotterdam', quantity: 3, unitPrice: 420 },
      { description: 'Fuel surcharge', quantity: 1, unitPrice: 86.4 },
    ],
    taxRate: 0.2,
    remitEmail: 'accounts@bluebird.example',
    bankAccount: 'GB29 NWBK 6016 1331 9268 19',
    doubts: {
      total_amount: {
        confidence: 71.4,
        readAs: { value: '1815.68', text: 'GBP 1,815.68' },
        alternatives: [{ value: '1615.68', text: 'GBP 1,615.68', confidence: 64.2, label: 'Total' }],
      },
    },
  },
  {
    key: 'contoso',
    vendorName: 'Contoso Catering BV',
    vendorAddress: ['Keizersgracht 221', '1016 DV Amsterdam, Netherlands'],
    vendorTaxId: 'NL001234567B01',
    invoiceNumber: 'CC-5521',
    issueDate: '2026-03-04',
    dueDate: '2026-04-03',
    dateStyle: 'mdy',
    paymentTerms: 'Net 30',
    currency: 'EUR',
    lines: [
      { description: 'Lunch buffet, 40 guests', quantity: 40, unitPrice: 18.5 },
      { description: 'Coffee and tea service', quantity: 2, unitPrice: 95 },
    ],
    taxRate: 0.09,
    remitEmail: 'finance@contoso-catering.example',
    bankAccount: 'NL91 ABNA 0417 1643 00',
    doubts: {
      due_date: {
        confidence: 62.5,
        alternatives: [{ value: '2026-03-04', text: '04/03/2026', confidence: 58.1, label: 'Due date' }],
      },
      document_date: {
        confidence: 66.0,
        alternatives: [{ value: '2026-04-03', text: '03/04/2026', confidence: 60.3, label: 'Date' }],
      },
    },
  },
  {
    key: 'fabrikam',
    vendorName: 'Fabrikam Print & Copy Inc.',
    vendorAddress: ['880 Market Street, Suite 300', 'San Francisco, CA 94102, USA'],
    vendorTaxId: 'EIN 94-1234567',
    invoiceNumber: 'FPC-30317',
    issueDate: '2026-02-20',
    dueDate: '2026-03-22',
    dateStyle: 'mdy',
    purchaseOrder: 'PO-76990',
    paymentTerms: 'Net 30',
    currency: 'USD',
    lines: [
      { description: 'Brochures, 8 pages, full colour', quantity: 2000, unitPrice: 0.42 },
      { description: 'Roll-up banner 85 x 200 cm', quantity: 2, unitPrice: 129 },
    ],
    taxRate: 0.0863,
    printedTotal: '1198.87',
    remitEmail: 'ar@fabrikam.example',
    bankAccount: 'Routing 121000358 / Account 4470 2231 88',
  },
  {
    key: 'tailspin',
    vendorName: 'Tailspin Cleaning Services',
    vendorAddress: ['41 Harbour Road', 'Dublin D04 X2K6, Ireland'],
    vendorTaxId: 'IE6388047V',
    invoiceNumber: null,
    issueDate: '2026-03-15',
    dueDate: '2026-03-29',
    dateStyle: 'long',
    paymentTerms: '14 days',
    currency: 'EUR',
    lines: [
      { description: 'Office cleaning, March (weekly)', quantity: 4, unitPrice: 310 },
      { description: 'Window cleaning, exterior', quantity: 1, unitPrice: 240 },
    ],
    taxRate: 0.135,
    remitEmail: 'invoices@tailspin.example',
    bankAccount: 'IE29 AIBK 9311 5212 3456 78',
  },
  {
    key: 'adatum',
    vendorName: 'Adatum IT Hardware AG',
    vendorAddress: ['Bahnhofplatz 9', '8001 Zurich, Switzerland'],
    vendorTaxId: 'CHE-123.456.789 MWST',
    invoiceNumber: 'ADT-88102',
    issueDate: '2026-03-18',
    dueDate: '2026-04-17',
    dateStyle: 'dmy',
    purchaseOrder: 'PO-77301',
    paymentTerms: 'Net 30',
    currency: 'CHF',
    lines: [
      { description: 'Laptop 14", 32 GB RAM', quantity: 3, unitPrice: 1489 },
      { description: 'USB-C docking station', quantity: 3, unitPrice: 219 },
    ],
    taxRate: 0.081,
    remitEmail: 'debitoren@adatum.example',
    bankAccount: 'CH93 0076 2011 6238 5295 7',
  },
];

function union(a: BoundingBox, b: BoundingBox): BoundingBox {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  const right = Math.max(a.left + a.width, b.left + b.width);
  const bottom = Math.max(a.top + a.height, b.top + b.height);
  return { left, top, width: right - left, height: bottom - top };
}

export function invoiceSpec(key: string): InvoiceSpec {
  const spec = DEMO_INVOICES.find((invoice) => invoice.key === key);
  if (!spec) throw new Error(`No generated demo invoice called ${key}`);
  return spec;
}

/** Draws the invoice and records where each value was printed. */
export async function layoutInvoice(spec: InvoiceSpec): Promise<InvoiceLayout> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Generated demo invoice ${spec.invoiceNumber ?? spec.key}`);
  doc.setSubject('GENERATED by DocuFlow demo mode; fictional vendor, not a real invoice');
  doc.setCreator('DocuFlow demo (pdf-lib)');
  const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const fields: Record<string, PlacedText> = {};
  const ink = rgb(0.1, 0.12, 0.16);
  const grey = rgb(0.42, 0.45, 0.5);

  const place = (pg: PDFPage, text: string, x: number, y: number, size: number, font: PDFFont): PlacedText => {
    pg.drawText(text, { x, y, size, font, color: ink });
    const width = font.widthOfTextAtSize(text, size);
    const pad = 1.5;
    return {
      text,
      page: 1,
      bbox: {
        left: (x - pad) / PAGE_WIDTH,
        top: (PAGE_HEIGHT - y - size * 0.8 - pad) / PAGE_HEIGHT,
        width: (width + 2 * pad) / PAGE_WIDTH,
        height: (size * 1.05 + 2 * pad) / PAGE_HEIGHT,
      },
    };
  };
  const labelled = (name: string, label: string, value: string, x: number, y: number, valueX: number) => {
    page.drawText(label, { x, y, size: 9.5, font: regular, color: grey });
    fields[name] = { ...place(page, value, valueX, y, 9.5, regular), label };
  };
  const rightAlign = (text: string, right: number, size: number, font: PDFFont) => right - font.widthOfTextAtSize(text, size);

  // Header: vendor block on the left, title on the right.
  fields.vendor_name = place(page, spec.vendorName, 50, 780, 16, bold);
  const street = place(page, spec.vendorAddress[0] ?? '', 50, 760, 9.5, regular);
  const city = place(page, spec.vendorAddress[1] ?? '', 50, 747, 9.5, regular);
  fields.vendor_address = { text: spec.vendorAddress.join(', '), page: 1, bbox: union(street.bbox, city.bbox) };
  labelled('vendor_tax_id', 'VAT / Tax ID:', spec.vendorTaxId, 50, 730, 120);
  page.drawText('INVOICE', { x: rightAlign('INVOICE', 545, 24, bold), y: 775, size: 24, font: bold, color: rgb(0.11, 0.3, 0.85) });

  page.drawText('Bill to', { x: 50, y: 690, size: 9.5, font: bold, color: grey });
  page.drawText('DocuFlow Demo Buyer Ltd, Accounts Payable', { x: 50, y: 676, size: 9.5, font: regular, color: ink });
  page.drawText('1 Example Way, Springfield', { x: 50, y: 663, size: 9.5, font: regular, color: ink });

  let y = 690;
  if (spec.invoiceNumber) {
    labelled('invoice_number', 'Invoice no.', spec.invoiceNumber, 360, y, 450);
    y -= 14;
  }
  labelled('document_date', 'Invoice date', printedDate(spec.issueDate, spec.dateStyle), 360, y, 450);
  y -= 14;
  labelled('due_date', 'Due date', printedDate(spec.dueDate, spec.dateStyle), 360, y, 450);
  y -= 14;
  if (spec.purchaseOrder) {
    labelled('purchase_order', 'PO number', spec.purchaseOrder, 360, y, 450);
    y -= 14;
  }
  labelled('payment_terms', 'Terms', spec.paymentTerms, 360, y, 450);
  y -= 14;
  labelled('currency', 'Currency', spec.currency, 360, y, 450);

  // Line items.
  const tableTop = 600;
  page.drawRectangle({ x: 45, y: tableTop - 4, width: 505, height: 18, color: rgb(0.93, 0.95, 0.98) });
  const headers: [string, number, 'left' | 'right'][] = [
    ['Description', 50, 'left'],
    ['Qty', 350, 'right'],
    ['Unit price', 445, 'right'],
    ['Amount', 545, 'right'],
  ];
  for (const [text, x, align] of headers) {
    page.drawText(text, { x: align === 'left' ? x : rightAlign(text, x, 9.5, bold), y: tableTop, size: 9.5, font: bold, color: ink });
  }
  const lines: InvoiceLayout['lines'] = [];
  let rowY = tableTop - 20;
  for (const line of spec.lines) {
    const amount = money(Math.round(line.quantity * line.unitPrice * 100) / 100);
    const description = place(page, line.description, 50, rowY, 9.5, regular);
    const qty = String(line.quantity);
    page.drawText(qty, { x: rightAlign(qty, 350, 9.5, regular), y: rowY, size: 9.5, font: regular, color: ink });
    const unit = money(line.unitPrice);
    page.drawText(unit, { x: rightAlign(unit, 445, 9.5, regular), y: rowY, size: 9.5, font: regular, color: ink });
    const amountPlaced = place(page, amount, rightAlign(amount, 545, 9.5, regular), rowY, 9.5, regular);
    lines.push({ description, amount: amountPlaced, quantity: qty, unitPrice: unit, amountValue: amount });
    rowY -= 18;
  }
  page.drawLine({ start: { x: 45, y: rowY + 8 }, end: { x: 550, y: rowY + 8 }, thickness: 0.6, color: grey });

  // Totals.
  const subtotal = money(subtotalOf(spec));
  const tax = money(taxOf(spec));
  const total = spec.printedTotal ?? money(subtotalOf(spec) + taxOf(spec));
  const totals: [string, string, string, PDFFont][] = [
    ['subtotal', 'Subtotal', printedMoney(subtotal, spec.currency), regular],
    ['tax_amount', `VAT ${(spec.taxRate * 100).toFixed(spec.taxRate * 100 % 1 ? 2 : 0)}%`, printedMoney(tax, spec.currency), regular],
    ['total_amount', 'Total', printedMoney(total, spec.currency), bold],
    ['amount_due', 'Amount due', printedMoney(total, spec.currency), bold],
  ];
  let totalY = rowY - 12;
  for (const [name, label, text, font] of totals) {
    page.drawText(label, { x: 360, y: totalY, size: 10, font, color: ink });
    fields[name] = { ...place(page, text, rightAlign(text, 545, 10, font), totalY, 10, font), label };
    totalY -= 16;
  }

  // Remittance.
  const remitY = Math.min(totalY - 30, 260);
  page.drawText('Please remit to', { x: 50, y: remitY, size: 9.5, font: bold, color: grey });
  fields.remit_to_name = place(page, spec.vendorName, 50, remitY - 14, 9.5, regular);
  labelled('bank_account', 'Bank account:', spec.bankAccount, 50, remitY - 28, 125);
  labelled('remittance_email', 'E-mail:', spec.remitEmail, 50, remitY - 42, 125);

  page.drawText('GENERATED DEMO INVOICE - fictional vendor, made by DocuFlow demo mode. Not a real document.', {
    x: 50,
    y: 40,
    size: 7.5,
    font: regular,
    color: grey,
  });

  return { pdf: await doc.save(), fields, lines };
}
