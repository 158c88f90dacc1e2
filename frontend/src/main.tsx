import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/App';
import { loadConfig } from '@/config/env';
import { configureApi, configureAuth } from '@/lib/api-client';
import { getSession } from '@/lib/session';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

async function start(): Promise<void> {
  try {
    const config = await loadConfig();
    configureApi(config.apiBaseUrl);
    configureAuth(() => getSession()?.idToken() ?? Promise.resolve(null));
    if (config.mode === 'demo') {
      // The mock API (and its generated invoices) is a separate chunk, loaded only here.
      const { startDemo } = await import('@/mocks/browser');
      await startDemo(config.apiBaseUrl);
    }
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  } catch (error) {
    root.render(
      <main className="startup-error" role="alert">
        <h1>DocuFlow could not start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </main>,
    );
  }
}

void start();
