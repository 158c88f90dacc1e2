/**
 * The web app's zod schemas are generated from the API's OpenAPI document by
 * @hey-api/openapi-ts into src/types/generated/ and committed. Run it through
 * `npm run api:generate`; `npm run lint` regenerates into a scratch folder and fails when
 * the committed file differs (scripts/api-types.mjs, which also says where output goes).
 * The app imports the schemas only through src/types/api.ts.
 */
import { defineConfig } from '@hey-api/openapi-ts';

/** The API contract: the one place that names the document the schemas come from. */
export const OPENAPI_DOCUMENT = '../services/api/openapi.json';

const out = process.env.API_TYPES_OUT;
if (!out) throw new Error('Generate the API types with `npm run api:generate` (scripts/api-types.mjs).');

export default defineConfig({
  input: OPENAPI_DOCUMENT,
  output: { path: out },
  plugins: [{ name: 'zod', compatibilityVersion: 4, requests: false, responses: false }],
  logs: { level: 'silent' },
});
