import { useEffect, useMemo, useRef, useState } from 'react';
import { useAppConfig } from '@/config/context';
import { Link, useLocation, useNavigate } from 'react-router';
import { AuditTimeline } from '@/components/AuditTimeline';
import { EInvoiceDocument } from '@/components/EInvoiceDocument';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { StatusBadge } from '@/components/StatusBadge';
import { paths } from '@/config/paths';
import { fieldLabel } from '@/lib/format';
import type { ReviewReason } from '@/types/api';
import { REQUIRED_FIELDS } from '@/types/domain';
import { useReviewJob, type ReviewJob } from '../api/get-review-job';
import { useReviewQueue } from '../api/get-review-queue';
import { useRescore } from '../api/rescore-job';
import { useSubmitDecision, type Decision } from '../api/submit-decision';
import { useShortcuts } from '../hooks/use-shortcuts';
import { loadDraft, saveDraft } from '../utils/drafts';
import { correctedLines, linesChanged, rowsOf, type LineRow } from '../utils/line-items';
import { fieldBoxes, lineBoxName, reviewFieldNames } from '../utils/review-fields';
import { ChecksList } from './ChecksList';
import { BankChangeAlert } from './BankChangeAlert';
import { DecisionPanel, type DecisionPanelHandle } from './DecisionPanel';
import { DecisionSummary } from './DecisionSummary';
import { DocumentViewer } from './DocumentViewer';
import { FieldRow } from './FieldRow';
import { LineItemGrid } from './LineItemGrid';
import { ShortcutLegend } from './ShortcutLegend';

export interface Flash {
  text: string;
  jobId: string;
}

function ReviewWorkspace({ data, nextJobId, onReload }: { data: ReviewJob; nextJobId: string | null; onReload: () => void }) {
  const { job, result } = data;
  const navigate = useNavigate();
  const decision = useSubmitDecision();
  const open = job.status === 'NEEDS_REVIEW';
  // Unsent corrections are kept per job (drafts.ts): they survive `n`, a link and a reload.
  const [draft] = useState(() => (open ? loadDraft(job.job_id, job.version) : null));
  const [corrections, setCorrections] = useState<Record<string, string>>(draft?.corrections ?? {});
  const readLines = useMemo(() => result?.line_items ?? [], [result]);
  const [lineRows, setLineRows] = useState<LineRow[]>(() => draft?.lines ?? rowsOf(readLines));
  const [active, setActive] = useState<string | null>(null);
  const demo = useAppConfig().mode === 'demo';
  const [editing, setEditing] = useState<string | null>(null);
  const rows = useRef(new Map<string, HTMLDivElement>());
  const panel = useRef<DecisionPanelHandle>(null);

  const names = useMemo(() => reviewFieldNames(result), [result]);
  const boxes = useMemo(() => fieldBoxes(result), [result]);
  const currency = corrections.currency ?? result?.fields?.currency?.value ?? null;
  const linesEdited = linesChanged(lineRows, readLines);
  const unsent = Object.keys(corrections).length + (linesEdited ? 1 : 0);
  useEffect(() => {
    if (!open) return;
    saveDraft(job.job_id, unsent ? { version: job.version, corrections, lines: linesEdited ? lineRows : null } : null);
  }, [open, job.job_id, job.version, corrections, lineRows, linesEdited, unsent]);
  // The draft stays in this browser only: leaving the page asks first while there is one.
  useEffect(() => {
    if (!unsent) return;
    const guard = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [unsent]);
  const discardDraft = () => {
    setCorrections({});
    setLineRows(rowsOf(readLines));
    setEditing(null);
  };
  const lines = linesEdited ? correctedLines(lineRows, currency) : null;
  const pendingBody =
    open && result && (lines === null || lines.ok)
      ? { corrected_fields: corrections, ...(lines?.ok ? { corrected_line_items: lines.lines } : {}) }
      : null;
  const rescore = useRescore(job.job_id, pendingBody);
  // The server's answer for these corrections, once it has one; until then what was stored.
  const live = open ? rescore.data : undefined;
  const reasons = useMemo(() => live?.routing.reasons ?? result?.routing.reasons ?? [], [live, result]);
  const storedFlagged = new Set((result?.routing.reasons ?? []).map((r) => r.field).filter(Boolean));
  const reasonsByField = useMemo(() => {
    const map = new Map<string, ReviewReason[]>();
    for (const reason of reasons) {
      if (reason.field) map.set(reason.field, [...(map.get(reason.field) ?? []), reason]);
    }
    return map;
  }, [reasons]);
  const fixed = (name: string) => live !== undefined && storedFlagged.has(name) && !reasonsByField.has(name);

  const focusField = (name: string) => {
    setActive(name);
    rows.current.get(name)?.focus();
  };
  const move = (delta: number) => {
    if (names.length === 0) return;
    const at = active ? names.indexOf(active) : -1;
    const next = names[Math.min(names.length - 1, Math.max(0, at + delta))] ?? names[0];
    if (next) focusField(next);
  };
  const goNext = () => {
    if (nextJobId) void navigate(paths.reviewJob(nextJobId));
  };

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    e: () => {
      if (!open) return;
      const target = active ?? names[0];
      if (target) {
        setActive(target);
        setEditing(target);
      }
    },
    a: () => open && panel.current?.choose('APPROVE'),
    r: () => open && panel.current?.choose('REJECT'),
    n: goNext,
  }, open);

  const missing = REQUIRED_FIELDS.filter((name) => !(corrections[name] ?? result?.fields?.[name]?.value));
  const blockedReason = editing
    ? `Save or cancel the edit of ${fieldLabel(editing)} first.`
    : lines && !lines.ok
      ? lines.error
      : null;
  const activeLine = active?.startsWith('line_items.') ? Number(active.slice('line_items.'.length)) : null;
  const selectField = (name: string) => {
    if (name.startsWith('line_items.')) {
      setActive(name);
      const at = lineRows.findIndex((row) => row.line === Number(name.slice('line_items.'.length)));
      document.querySelector<HTMLInputElement>(`[data-cell="${at}:0"]`)?.focus();
      return;
    }
    focusField(name);
  };

  const submit = (choice: Decision, reason: string, overrideReason: string | null) => {
    decision.mutate(
      {
        jobId: job.job_id,
        decision: choice,
        corrected_fields: corrections,
        ...(lines?.ok ? { corrected_line_items: lines.lines } : {}),
        reason,
        ...(overrideReason ? { override_reason: overrideReason } : {}),
        expected_version: job.version,
      },
      {
        onSuccess: (decided) => {
          saveDraft(job.job_id, null);
          const flash: Flash = {
            text: `${decided.filename} ${choice === 'APPROVE' ? 'approved' : 'rejected'}.`,
            jobId: decided.job_id,
          };
          void navigate(nextJobId ? paths.reviewJob(nextJobId) : paths.job(decided.job_id), { state: { flash } });
        },
      },
    );
  };

  return (
    <div className="review-layout">
      {/* Scrolls on its own, so it must be reachable by keyboard too. */}
      <div className="review-layout__document" tabIndex={0} role="region" aria-label="Document" data-scroll-root>
        {result?.einvoice && !result.einvoice.attachment ? (
          // An XML upload has no picture: show the invoice its XML describes.
          <EInvoiceDocument result={result} />
        ) : (
          <DocumentViewer
            url={data.documentUrl}
            contentType={data.documentContentType}
            boxes={boxes}
            activeField={active}
            onSelectField={selectField}
          />
        )}
      </div>
      <div className="review-layout__side">
        <section className="panel" aria-labelledby="review-heading">
          <div className="panel__header">
            <h2 id="review-heading">{job.filename}</h2>
            <StatusBadge status={job.status} />
          </div>
          {result?.einvoice && (
            <p className="einvoice-label">
              <strong>{result.einvoice.label}</strong>: values read exactly from the XML.
            </p>
          )}
          {!open && <DecisionSummary job={job} audit={data.audit} />}
          {open && unsent > 0 && (
            <p className="alert" role="status" data-testid="draft-note">
              Draft: {unsent} unsent correction{unsent === 1 ? '' : 's'}, kept in this browser until you decide.{' '}
              <button type="button" className="button button--small" onClick={discardDraft}>
                Discard draft
              </button>
            </p>
          )}
          {open && reasons
            .filter((reason) => reason.code === 'BANK_DETAILS_CHANGED')
            .map((reason, index) => (
              <BankChangeAlert key={`bank-${index}`} reason={reason} />
            ))}
          {open && reasons.length > 0 && (
            <ul className="reasons" aria-label="Why it is in review">
              {reasons.map((reason, index) => (
                <li key={`${reason.code}-${index}`}>
                  {reason.message}{' '}
                  {reason.field && names.includes(reason.field) && (
                    <button type="button" className="button button--small button--ghost" onClick={() => focusField(reason.field ?? '')}>
                      Go to {fieldLabel(reason.field)}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {open && (
            <ChecksList
              checks={live?.checks ?? result?.checks ?? {}}
              live={live !== undefined}
              updating={rescore.isFetching}
              error={rescore.error}
              demo={demo}
            />
          )}
          {!result && <p className="muted">No extraction result is available for this document.</p>}
        </section>
        {open && (
          <DecisionPanel
            ref={panel}
            corrections={unsent}
            blocking={live?.blocking ?? []}
            pending={decision.isPending}
            error={decision.error}
            blockedReason={blockedReason}
            warnings={missing.length ? [`Still missing: ${missing.map(fieldLabel).join(', ')}.`] : []}
            onSubmit={submit}
            onReload={() => {
              decision.reset();
              setCorrections({});
              setLineRows(rowsOf(readLines));
              onReload();
            }}
          />
        )}
        {open && <ShortcutLegend />}
        <section className="panel" aria-labelledby="fields-heading">
          <h2 id="fields-heading">Fields</h2>
          <div className="fields">
            {names.map((name) => (
              <FieldRow
                key={name}
                ref={(node) => {
                  if (node) rows.current.set(name, node);
                  else rows.current.delete(name);
                }}
                name={name}
                field={result?.fields?.[name]}
                currency={currency}
                fixed={fixed(name)}
                correction={open ? corrections[name] : job.corrections[name]?.after}
                reasons={reasonsByField.get(name) ?? []}
                active={active === name}
                editing={editing === name}
                readOnly={!open}
                onActivate={() => setActive(name)}
                onEdit={() => {
                  setActive(name);
                  setEditing(name);
                }}
                onCancelEdit={() => {
                  setEditing(null);
                  focusField(name);
                }}
                onCorrect={(value) => {
                  setCorrections((current) => {
                    const rest = Object.fromEntries(Object.entries(current).filter(([key]) => key !== name));
                    return value === null ? rest : { ...rest, [name]: value };
                  });
                  setEditing(null);
                  focusField(name);
                }}
              />
            ))}
          </div>
        </section>
        {result && (
          <section className="panel" aria-labelledby="lines-heading">
            <h2 id="lines-heading">Line items</h2>
            {(reasonsByField.get('line_items') ?? []).map((reason, index) => (
              <p key={`${reason.code}-${index}`} className="field-row__reason">
                {reason.message}
              </p>
            ))}
            <LineItemGrid
              rows={lineRows}
              currency={currency}
              readOnly={!open}
              activeLine={activeLine}
              failing={reasonsByField.has('line_items')}
              onChange={setLineRows}
              onSelectLine={(line) => setActive(line === null ? null : lineBoxName(line))}
            />
          </section>
        )}
        <section className="panel" aria-labelledby="review-audit-heading">
          <h2 id="review-audit-heading">Audit trail</h2>
          <AuditTimeline events={data.audit} />
        </section>
      </div>
    </div>
  );
}

export function ReviewDetail({ jobId }: { jobId: string }) {
  const review = useReviewJob(jobId);
  const queue = useReviewQueue();
  const location = useLocation();
  const flash = (location.state as { flash?: Flash } | null)?.flash;
  const queued = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const at = queued.findIndex((job) => job.job_id === jobId);
  // `n` goes on to the next invoice, and from the last back to the first.
  const after = at >= 0 ? [...queued.slice(at + 1), ...queued.slice(0, at)] : queued;
  const nextJobId = after.find((job) => job.job_id !== jobId)?.job_id ?? null;

  return (
    <div>
      <p className="breadcrumbs">
        <Link to={paths.review}>Review queue</Link>
        {queued.length > 0 && <span className="muted"> · {queued.length} waiting</span>}
      </p>
      {flash && (
        <p className="alert alert--success" role="status">
          {flash.text} <Link to={paths.job(flash.jobId)}>See it and its audit trail</Link>
        </p>
      )}
      {review.isPending && <Loading label="Loading the invoice…" />}
      {review.isError && <ErrorMessage error={review.error} title="Could not open this invoice." onRetry={() => void review.refetch()} />}
      {review.data && (
        <ReviewWorkspace
          key={`${review.data.job.job_id}:${review.data.job.version}`}
          data={review.data}
          nextJobId={nextJobId}
          onReload={() => void review.refetch()}
        />
      )}
    </div>
  );
}
