import type { BoundingBox } from '@/types/api';
import { fieldLabel } from '@/lib/format';

export interface FieldBox {
  field: string;
  page: number;
  bbox: BoundingBox;
}

const pct = (fraction: number) => `${(Math.min(1, Math.max(0, fraction)) * 100).toFixed(3)}%`;

/** Every field's box on one page; the active field's box is highlighted. */
export function PageOverlay({
  page,
  boxes,
  activeField,
  onSelect,
}: {
  page: number;
  boxes: FieldBox[];
  activeField: string | null;
  onSelect: (field: string) => void;
}) {
  return (
    <div className="overlay">
      {boxes
        .filter((box) => box.page === page)
        .map((box) => {
          const active = box.field === activeField;
          return (
            <button
              type="button"
              key={box.field}
              className={`overlay__box${active ? ' overlay__box--active' : ''}`}
              data-field={box.field}
              data-active={active ? 'true' : 'false'}
              aria-label={`Show field ${fieldLabel(box.field)}`}
              tabIndex={-1}
              style={{ left: pct(box.bbox.left), top: pct(box.bbox.top), width: pct(box.bbox.width), height: pct(box.bbox.height) }}
              onClick={() => onSelect(box.field)}
            />
          );
        })}
    </div>
  );
}
