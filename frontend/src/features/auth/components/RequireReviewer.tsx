import type { ReactNode } from 'react';
import { canReview, useSession } from '@/lib/session';

/** The review pages are for reviewers and admins; a clerk is told so (the API says 403). */
export function RequireReviewer({ children }: { children: ReactNode }) {
  const session = useSession();
  if (!canReview(session?.role)) {
    return (
      <p className="alert" role="alert">
        Reviewing is for reviewers: you are signed in as a {session?.role ?? 'guest'}.
      </p>
    );
  }
  return <>{children}</>;
}
