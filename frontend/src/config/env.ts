/**
 * Runtime configuration, read once at start-up.
 *
 * Order: `/config.json` served next to the app (the local cloud and the web image write
 * their own; the build ships `public/config.json` with `apiBaseUrl: null`, so a static
 * deploy answers it instead of logging a 404) → `VITE_API_BASE_URL` baked in at build
 * time → demo mode, where a mock service worker answers the same API in the browser.
 * Live mode also needs the user pool (`auth` in config.json, or VITE_USER_POOL_ID +
 * VITE_USER_POOL_CLIENT_ID).
 */
import { z } from 'zod';

/** The user pool the app signs in to; `endpoint` only for a local cloud's Cognito. */
export interface AuthConfig {
  userPoolId: string;
  userPoolClientId: string;
  endpoint?: string;
}

export type AppConfig =
  | { mode: 'live'; apiBaseUrl: string; source: 'config.json' | 'build'; auth?: AuthConfig }
  | { mode: 'demo'; apiBaseUrl: string; source: 'none' };

/** Where the demo's mock API lives (same origin, so the CSP's 'self' covers it). */
export const DEMO_API_PATH = '/demo-api';

const authSchema = z.object({
  userPoolId: z.string().trim().min(1),
  userPoolClientId: z.string().trim().min(1),
  endpoint: z.url().optional(),
});

const configFileSchema = z
  .object({ apiBaseUrl: z.string().trim().optional().nullable(), auth: authSchema.optional() })
  .loose();

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Checks a base URL and returns it without a trailing slash. */
export function normalizeBaseUrl(raw: string, from: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${from}: apiBaseUrl is not an absolute URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${from}: apiBaseUrl must be http(s), got ${url.protocol}`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${from}: apiBaseUrl must not carry a query or fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Reads `/config.json`. A missing file, or the SPA fallback answering with index.html,
 * means "no runtime config". A file that is there but wrong is an error, never ignored.
 */
export async function readConfigFile(
  fetchImpl: typeof fetch = fetch,
): Promise<{ apiBaseUrl: string; auth?: AuthConfig } | null> {
  let response: Response;
  try {
    response = await fetchImpl('/config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch {
    return null;
  }
  if (!response.ok) return null;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null; // the SPA fallback (index.html)
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConfigError('/config.json is not valid JSON');
  }
  const parsed = configFileSchema.safeParse(body);
  if (!parsed.success) {
    throw new ConfigError(`/config.json: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const value = parsed.data.apiBaseUrl ?? '';
  if (value === '') return null;
  const apiBaseUrl = normalizeBaseUrl(value, '/config.json');
  return parsed.data.auth ? { apiBaseUrl, auth: parsed.data.auth } : { apiBaseUrl };
}

export async function loadConfig(
  buildTimeBaseUrl: string | undefined = import.meta.env.VITE_API_BASE_URL,
  fetchImpl: typeof fetch = fetch,
  origin: string = window.location.origin,
): Promise<AppConfig> {
  const fromFile = await readConfigFile(fetchImpl);
  if (fromFile) return { mode: 'live', source: 'config.json', ...fromFile };
  const fromBuild = buildTimeBaseUrl?.trim();
  if (fromBuild) {
    const apiBaseUrl = normalizeBaseUrl(fromBuild, 'VITE_API_BASE_URL');
    const userPoolId = import.meta.env.VITE_USER_POOL_ID?.trim();
    const userPoolClientId = import.meta.env.VITE_USER_POOL_CLIENT_ID?.trim();
    return userPoolId && userPoolClientId
      ? { mode: 'live', apiBaseUrl, source: 'build', auth: { userPoolId, userPoolClientId } }
      : { mode: 'live', apiBaseUrl, source: 'build' };
  }
  return { mode: 'demo', apiBaseUrl: `${origin}${DEMO_API_PATH}`, source: 'none' };
}
