import { useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { formatBytes } from '@/lib/format';
import { useUploads, type UploadItem, type UploadPhase } from '../hooks/use-uploads';
import { ACCEPT_ATTRIBUTE } from '../utils/validate-file';

export interface UploadPanelProps {
  /** Starts processing once the file is stored (POST /jobs/{id}/start). */
  onUploaded: (jobId: string) => Promise<void>;
  /** How to show a job once it exists (the jobs feature's live status). */
  renderJob?: (jobId: string) => ReactNode;
  disabledReason?: string | null;
}

const PHASE_TEXT: Record<UploadPhase, string> = {
  checking: 'Checking…',
  rejected: 'Not uploaded',
  registering: 'Registering…',
  uploading: 'Uploading',
  starting: 'Starting processing…',
  done: 'Uploaded',
  failed: 'Upload failed',
};

function UploadRow({ item, onCancel, renderJob }: { item: UploadItem; onCancel: () => void; renderJob?: UploadPanelProps['renderJob'] }) {
  const percent = Math.round(item.progress * 100);
  const bad = item.phase === 'rejected' || item.phase === 'failed';
  return (
    <li className={`upload-row${bad ? ' upload-row--bad' : ''}`} data-testid="upload-row">
      <div className="upload-row__head">
        <span className="upload-row__name">{item.name}</span>
        <span className="muted">{formatBytes(item.size)}</span>
        <span className="upload-row__phase">{PHASE_TEXT[item.phase]}</span>
        {item.phase === 'uploading' && (
          <button type="button" className="button button--small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {(item.phase === 'uploading' || item.phase === 'starting' || item.phase === 'done') && (
        <progress
          className="upload-row__progress"
          max={100}
          value={percent}
          aria-label={`Upload progress of ${item.name}`}
        >
          {percent}%
        </progress>
      )}
      {item.message && (
        <p className={bad ? 'error-text' : 'muted'} role={bad ? 'alert' : undefined}>
          {item.message}
        </p>
      )}
      {item.jobId && item.phase === 'done' && renderJob?.(item.jobId)}
    </li>
  );
}

export function UploadPanel({ onUploaded, renderJob, disabledReason }: UploadPanelProps) {
  const { items, addFiles, cancel, clearFinished } = useUploads({ onUploaded });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const disabled = Boolean(disabledReason);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (!disabled) addFiles(event.dataTransfer.files);
  };

  return (
    <section aria-labelledby="upload-heading" className="panel">
      <h2 id="upload-heading">Upload invoices</h2>
      <div
        className={`dropzone${dragging ? ' dropzone--active' : ''}${disabled ? ' dropzone--disabled' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop invoice files here, or</p>
        <button type="button" className="button button--primary" disabled={disabled} onClick={() => input.current?.click()} aria-describedby={hintId}>
          Choose files
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          className="visually-hidden"
          aria-label="Invoice files"
          tabIndex={-1}
          disabled={disabled}
          onChange={(event) => {
            if (event.target.files) addFiles(event.target.files);
            event.target.value = '';
          }}
        />
        <p id={hintId} className="muted">
          PDF, PNG, JPEG or TIFF, or an e-invoice as XML (XRechnung, ZUGFeRD, Factur-X, Peppol UBL), up to 20 MiB
          each. Several files at once are fine.
        </p>
        {disabledReason && <p className="error-text">{disabledReason}</p>}
      </div>
      {items.length > 0 && (
        <>
          <ul className="upload-list" aria-label="Uploads">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} onCancel={() => cancel(item.id)} renderJob={renderJob} />
            ))}
          </ul>
          <button type="button" className="button button--small" onClick={clearFinished}>
            Clear finished
          </button>
        </>
      )}
    </section>
  );
}
