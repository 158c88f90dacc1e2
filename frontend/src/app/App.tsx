import { AppProvider } from './provider';
import { AppRouter } from './router';
import type { AppConfig } from '@/config/env';

export function App({ config }: { config: AppConfig }) {
  return (
    <AppProvider config={config}>
      <AppRouter />
    </AppProvider>
  );
}
