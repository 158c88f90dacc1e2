import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env';

const respond = (body: string, type: string, status = 200): typeof fetch =>
  () => Promise.resolve(new Response(body, { status, headers: { 'Content-Type': type } }));
const origin = 'https://docuflow.example';

describe('loadConfig', () => {
  it('prefers /config.json over the build-time URL', async () => {
    const config = await loadConfig('https://build.example', respond('{"apiBaseUrl": "http://127.0.0.1:4566/_aws/execute-api/abc/"}', 'application/json'), origin);
    expect(config).toEqual({ mode: 'live', apiBaseUrl: 'http://127.0.0.1:4566/_aws/execute-api/abc', source: 'config.json' });
  });

  it('uses VITE_API_BASE_URL when there is no config.json (404 or the SPA fallback page)', async () => {
    expect(await loadConfig('https://api.example/prod/', respond('nope', 'text/plain', 404), origin)).toEqual({
      mode: 'live',
      apiBaseUrl: 'https://api.example/prod',
      source: 'build',
    });
    expect(await loadConfig('https://api.example', respond('<!doctype html>', 'text/html'), origin)).toMatchObject({
      mode: 'live',
      source: 'build',
    });
  });

  it('reads the config.json the build ships (apiBaseUrl null) as "not set"', async () => {
    const shipped = readFileSync(resolve(import.meta.dirname, '..', '..', 'public', 'config.json'), 'utf8');
    expect(await loadConfig('', respond(shipped, 'application/json'), origin)).toMatchObject({ mode: 'demo' });
    expect(await loadConfig('https://api.example', respond(shipped, 'application/json'), origin)).toMatchObject({
      mode: 'live',
      source: 'build',
    });
  });

  it('falls back to demo mode when neither is set, also for an empty apiBaseUrl', async () => {
    expect(await loadConfig('', respond('{"apiBaseUrl": ""}', 'application/json'), origin)).toEqual({
      mode: 'demo',
      apiBaseUrl: 'https://docuflow.example/demo-api',
      source: 'none',
    });
    const offline: typeof fetch = () => Promise.reject(new TypeError('offline'));
    expect((await loadConfig(undefined, offline, origin)).mode).toBe('demo');
  });

  it('refuses a config.json that is there but wrong, instead of silently running the demo', async () => {
    await expect(loadConfig('', respond('{not json', 'application/json'), origin)).rejects.toThrow(ConfigError);
    await expect(loadConfig('', respond('{"apiBaseUrl": "api.example.com"}', 'application/json'), origin)).rejects.toThrow(
      /not an absolute URL/,
    );
    await expect(loadConfig('', respond('{"apiBaseUrl": 42}', 'application/json'), origin)).rejects.toThrow(ConfigError);
    await expect(loadConfig('ftp://x.example', respond('', 'text/plain', 404), origin)).rejects.toThrow(/http\(s\)/);
  });
});
