import { describe, expect, it } from 'vitest';
import { apiOrigins, headersForAllPaths, readTemplate, renderHeaders } from './security-headers';

describe('security headers', () => {
  it('allows only self when no API is configured (demo mode)', () => {
    const headers = headersForAllPaths(renderHeaders(readTemplate('public/_headers'), apiOrigins(undefined, undefined)));
    expect(headers['Content-Security-Policy']).toContain("connect-src 'self';");
    expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
  });

  it('adds the API origin, and S3 for an AWS-hosted API, to connect-src and img-src', () => {
    const origins = apiOrigins('https://abc.execute-api.eu-west-1.amazonaws.com/prod', 'https://docs.example.com');
    expect(origins).toEqual(['https://abc.execute-api.eu-west-1.amazonaws.com', 'https://*.amazonaws.com', 'https://docs.example.com']);
    const csp = headersForAllPaths(renderHeaders(readTemplate('public/_headers'), origins))['Content-Security-Policy'] ?? '';
    expect(csp).toContain("connect-src 'self' https://abc.execute-api.eu-west-1.amazonaws.com https://*.amazonaws.com https://docs.example.com;");
    expect(csp).toContain('img-src');
  });

  it('refuses values that would break the header', () => {
    expect(() => apiOrigins('not a url', undefined)).toThrow(/not a valid URL/);
    expect(() => apiOrigins(undefined, "https://x.example; script-src 'unsafe-inline'")).toThrow(/not an origin/);
  });
});
