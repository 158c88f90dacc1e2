import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/lib/format';
import { useReviewQueue } from '../api/get-review-queue';
import { useShortcuts } from '../hooks/use-shortcuts';

/** NEEDS_REVIEW jobs, newest first. j/k move, Enter (or o) opens. */
export function ReviewQueue() {
  const queue = useReviewQueue();
  const navigate = useNavigate();
  const [selected, setSelected] = useState(0);
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const current = Math.min(selected, Math.max(0, items.length - 1));

  const open = () => {
    const job = items[current];
    if (job) void navigate(paths.reviewJob(job.job_id));
  };
  useShortcuts({
    j: () => setSelected(Math.min(items.length - 1, current + 1)),
    k: () => setSelected(Math.max(0, current - 1)),
    o: open,
    Enter: open,
  });

  return (
    <section className="panel" aria-labelledby="queue-heading">
      <div className="panel__header">
        <h2 id="queue-heading">Review queue</h2>
        <span className="muted">
          <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens
        </span>
      </div>
      {queue.isPending && <Loading label="Loading the queue…" />}
      {queue.isError && <ErrorMessage error={queue.error} title="Could not load the review queue." onRetry={() => void queue.refetch()} />}
      {queue.isSuccess && items.length === 0 && <p>Nothing to review. Well done.</p>}
      {items.length > 0 && (
        <ol className="queue">
          {items.map((job, index) => (
            <li key={job.job_id} className={index === current ? 'queue__item queue__item--selected' : 'queue__item'} data-testid="queue-item">
              <Link to={paths.reviewJob(job.job_id)} aria-current={index === current ? 'true' : undefined}>
                {job.filename}
              </Link>
              <span className="muted">
                {' '}
                · {formatDateTime(job.created_at)}
              </span>
              {job.review_reasons.length > 0 && (
                <ul className="queue__reasons">
                  {job.review_reasons.map((reason, i) => (
                    <li key={`${reason.code}-${i}`}>{reason.message}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {queue.hasNextPage && (
        <button type="button" className="button" onClick={() => void queue.fetchNextPage()}>
          Load more
        </button>
      )}
    </section>
  );
}
