/**
 * Turns `public/_headers` (a template) into the real Cloudflare Pages `_headers` file,
 * and gives `vite preview` the same headers so the smoke test runs under the real CSP.
 *
 * Why a template: the API origin is configurable (VITE_API_BASE_URL at build time), and
 * a CSP cannot be changed at runtime. Presigned S3 URLs for uploads and document links
 * live on *.amazonaws.com, so that is allowed whenever an AWS-hosted API is configured.
 */
import { readFileSync } from 'node:fs';

export const API_ORIGINS_TOKEN = '%API_ORIGINS%';

/** The origins the CSP must allow for connect-src and img-src. */
export function apiOrigins(apiBaseUrl: string | undefined, extra: string | undefined): string[] {
  const origins = new Set<string>();
  const base = apiBaseUrl?.trim();
  if (base) {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new Error(`VITE_API_BASE_URL is not a valid URL: ${JSON.stringify(base)}`);
    }
    origins.add(url.origin);
    if (url.hostname.endsWith('.amazonaws.com')) {
      // Presigned S3 PUT/GET links (virtual-hosted and path style).
      origins.add('https://*.amazonaws.com');
    }
  }
  for (const origin of (extra ?? '').split(/\s+/).filter(Boolean)) {
    if (!/^https?:\/\/[^\s;,'"]+$/.test(origin)) {
      throw new Error(`CSP_EXTRA_ORIGINS entry is not an origin: ${JSON.stringify(origin)}`);
    }
    origins.add(origin);
  }
  return [...origins];
}

/** Fill the template's placeholder (comment lines are left as they are). */
export function renderHeaders(template: string, origins: string[]): string {
  const value = origins.join(' ');
  return template
    .split('\n')
    .map((line) => {
      if (line.trimStart().startsWith('#')) return line;
      return value ? line.split(API_ORIGINS_TOKEN).join(value) : line.split(` ${API_ORIGINS_TOKEN}`).join('');
    })
    .join('\n');
}

/** The headers that apply to every path (`/*` block), for `vite preview`. */
export function headersForAllPaths(rendered: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let inAll = false;
  for (const line of rendered.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    if (!inAll) continue;
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

export function readTemplate(path: string): string {
  return readFileSync(path, 'utf8');
}
