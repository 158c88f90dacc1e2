import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ConfigContext } from '@/config/context';
import type { AppConfig } from '@/config/env';
import { createQueryClient } from '@/lib/query-client';

export function AppProvider({ config, children, queryClient }: { config: AppConfig; children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <ConfigContext.Provider value={config}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </ConfigContext.Provider>
  );
}
