import { ConfidenceBadge } from './ConfidenceBadge';

interface Read {
  source: string;
  confidence: number;
  xml_path?: string | null;
  label?: string | null;
}

/** How sure a value is: read exactly from e-invoice XML, or a recognition's confidence. */
export function FieldConfidence({ field }: { field: Read }) {
  if (field.source === 'einvoice') {
    const where = [field.label, field.xml_path].filter(Boolean).join(' at ');
    return (
      <span className="exact" title={`Read exactly from the e-invoice XML${where ? `: ${where}` : ''}`}>
        Exact <span className="exact__word">from XML{field.label ? ` (${field.label})` : ''}</span>
      </span>
    );
  }
  if (field.source === 'vendor_hint') {
    return (
      <span className="hint" title={field.label ?? 'Chosen by what a reviewer corrected on an earlier invoice of this vendor'}>
        <ConfidenceBadge confidence={field.confidence} /> <span className="hint__word">from a vendor hint</span>
      </span>
    );
  }
  return <ConfidenceBadge confidence={field.confidence} />;
}
