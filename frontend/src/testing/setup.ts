import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor give up after 1 s by default; on a loaded two-core CI machine a screen
// that renders through the mock API can take longer. A wrong screen still fails: it never
// shows what is looked for, and the test's own timeout (vitest.config.ts) bounds the wait.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});
