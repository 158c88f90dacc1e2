import { createContext, useContext } from 'react';
import type { AppConfig } from './env';

export const ConfigContext = createContext<AppConfig | null>(null);

export function useAppConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useAppConfig() outside <AppProvider>');
  return config;
}
