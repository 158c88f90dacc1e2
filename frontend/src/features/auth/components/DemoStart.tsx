import { useEffect } from 'react';
import { setSession } from '@/lib/session';
import { demoSession } from '../demo';

/** Demo mode signs in nobody: it takes the demo reviewer's part until the role switch. */
export function DemoStart() {
  useEffect(() => setSession(demoSession('reviewer')), []);
  return null;
}
