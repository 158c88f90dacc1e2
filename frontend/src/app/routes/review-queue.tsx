import { RequireReviewer } from '@/features/auth/components/RequireReviewer';
import { ReviewQueue } from '@/features/review/components/ReviewQueue';

export function ReviewQueueRoute() {
  return (
    <>
      <h1>Review</h1>
      <RequireReviewer>
        <ReviewQueue />
      </RequireReviewer>
    </>
  );
}
