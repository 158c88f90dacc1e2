/**
 * The one API client. Every feature's fetchers go through `api`; only its base URL
 * differs between live mode (the real API) and demo mode (the mock service worker).
 */
import type { z } from 'zod';
import { apiErrorBodySchema } from '@/types/api';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  schema: S;
  signal?: AbortSignal;
}

let baseUrl: string | null = null;
let bearer: () => Promise<string | null> = () => Promise.resolve(null);

/** Called once at start-up (and by tests) with the checked base URL. */
export function configureApi(url: string): void {
  baseUrl = url.replace(/\/+$/, '');
}

/** Where requests get their bearer token (the signed-in user's ID token), if any. */
export function configureAuth(token: () => Promise<string | null>): void {
  bearer = token;
}

export function apiBaseUrl(): string {
  if (baseUrl === null) throw new Error('The API client is used before configureApi()');
  return baseUrl;
}

export function buildUrl(path: string, query?: Query): string {
  const url = new URL(`${apiBaseUrl()}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function readError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    }
  } catch {
    // not JSON: fall through to a generic message
  }
  return new ApiError(
    response.status,
    'HTTP_ERROR',
    `The server answered ${response.status} ${response.statusText}`.trim(),
  );
}

async function request<S extends z.ZodType>(path: string, options: RequestOptions<S>): Promise<z.infer<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = await bearer();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init: RequestInit = { method: options.method ?? 'GET', headers, signal: options.signal ?? null };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) throw await readError(response);
  const body: unknown = response.status === 204 ? null : await response.json();
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown';
    throw new ApiError(response.status, 'BAD_RESPONSE', `Unexpected answer from ${path} (${where})`);
  }
  return parsed.data;
}

export const api = {
  get: <S extends z.ZodType>(path: string, schema: S, query?: Query, signal?: AbortSignal) =>
    request(path, { schema, query, signal }),
  post: <S extends z.ZodType>(path: string, body: unknown, schema: S, signal?: AbortSignal) =>
    request(path, { method: 'POST', body, schema, signal }),
  put: <S extends z.ZodType>(path: string, body: unknown, schema: S) => request(path, { method: 'PUT', body, schema }),
  patch: <S extends z.ZodType>(path: string, body: unknown, schema: S) => request(path, { method: 'PATCH', body, schema }),
  delete: <S extends z.ZodType>(path: string, schema: S) => request(path, { method: 'DELETE', schema }),
  /** A document that is not JSON (a CSV export), as a Blob, with the same auth and errors. */
  download: async (path: string, query?: Query): Promise<Blob> => {
    const headers: Record<string, string> = {};
    const token = await bearer();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(buildUrl(path, query), { headers });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.');
    }
    if (!response.ok) throw await readError(response);
    return response.blob();
  },
};

/** A message a person can act on, for any error a query or mutation throws. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
