import { useParams } from 'react-router';
import { RequireReviewer } from '@/features/auth/components/RequireReviewer';
import { ReviewDetail } from '@/features/review/components/ReviewDetail';

export function ReviewJobRoute() {
  const { jobId = '' } = useParams();
  return (
    <>
      <h1 className="visually-hidden">Review invoice</h1>
      <RequireReviewer>
        <ReviewDetail key={jobId} jobId={jobId} />
      </RequireReviewer>
    </>
  );
}
