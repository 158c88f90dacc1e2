import { useParams } from 'react-router';
import { ReviewDetail } from '@/features/review/components/ReviewDetail';

export function ReviewJobRoute() {
  const { jobId = '' } = useParams();
  return (
    <>
      <h1 className="visually-hidden">Review invoice</h1>
      <ReviewDetail key={jobId} jobId={jobId} />
    </>
  );
}
