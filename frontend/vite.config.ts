import { fileURLToPath, URL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import {
  apiOrigins,
  headersForAllPaths,
  readTemplate,
  renderHeaders,
} from './tooling/security-headers.ts';

const headersTemplate = resolve(import.meta.dirname, 'public/_headers');

/** Writes the rendered `_headers` over the template copied from public/. */
function securityHeaders(origins: string[]): Plugin {
  let outDir = 'dist';
  return {
    name: 'docuflow-security-headers',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      writeFileSync(resolve(outDir, '_headers'), renderHeaders(readTemplate(headersTemplate), origins));
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), ['VITE_', 'CSP_']);
  const origins = apiOrigins(env.VITE_API_BASE_URL, env.CSP_EXTRA_ORIGINS);
  return {
    plugins: [react(), securityHeaders(origins)],
    resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
    build: {
      manifest: true,
      sourcemap: true,
      target: 'es2022',
      // pdf.js's worker and the demo's mock API are big but loaded only on demand;
      // scripts/bundle-size.mjs guards what counts (the initial JS).
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        output: {
          // pdf.js's worker ships as .mjs; some static servers (Python's, on machines
          // without /etc/mime.types) do not know that extension, and browsers refuse a
          // module worker without a JavaScript MIME type. Emit it as .js.
          assetFileNames: (asset) =>
            asset.names.some((name) => name.endsWith('.mjs')) ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]',
        },
      },
    },
    preview: {
      // The same headers Cloudflare Pages sends, so tests run under the real CSP.
      headers: headersForAllPaths(renderHeaders(readTemplate(headersTemplate), origins)),
    },
  };
});
