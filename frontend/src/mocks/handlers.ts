/** MSW handlers: the demo API at `baseUrl`, answering exactly the real API's paths. */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Answer, DemoApi } from './demo-api';

const json = (answer: Answer) => HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status });

async function bodyOf(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

/** The object's SHA-256, as the intake step records it (null where Web Crypto is not offered). */
async function sha256(bytes: ArrayBuffer): Promise<string | null> {
  // `subtle` exists only in secure contexts (https, localhost), whatever the types say.
  const subtle = globalThis.crypto.subtle as SubtleCrypto | undefined;
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest('SHA-256', new Uint8Array(bytes)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function demoHandlers(baseUrl: string, demo: DemoApi): HttpHandler[] {
  const at = (path: string) => `${baseUrl}${path}`;
  return [
    http.post(at('/uploads'), async ({ request }) => json(demo.createUpload(await bodyOf(request)))),
    http.put(at('/demo-uploads/:jobId'), async ({ request, params }) => {
      const bytes = await request.arrayBuffer();
      const answer = demo.receiveUpload(String(params.jobId), bytes.byteLength, await sha256(bytes));
      return new HttpResponse(String(answer.body), { status: answer.status });
    }),
    http.post(at('/jobs/:jobId/start'), async ({ request, params }) => json(demo.start(String(params.jobId), await bodyOf(request)))),
    http.get(at('/jobs'), ({ request }) => json(demo.listJobs(new URL(request.url).searchParams))),
    http.get(at('/jobs/:jobId'), ({ params }) => json(demo.getJob(String(params.jobId)))),
    http.get(at('/jobs/:jobId/result'), ({ params }) => json(demo.result(String(params.jobId)))),
    http.get(at('/jobs/:jobId/audit'), ({ params }) => json(demo.auditTrail(String(params.jobId)))),
    http.get(at('/stats'), ({ request }) => json(demo.stats(new URL(request.url).searchParams))),
    http.get(at('/vendors'), () => json(demo.listVendors())),
    http.get(at('/vendors/:vendorId'), ({ params }) =>
      json(demo.getVendor(String(params.vendorId))),
    ),
    http.get(at('/review/jobs'), ({ request }) => json(demo.reviewQueue(new URL(request.url).searchParams))),
    http.get(at('/review/jobs/:jobId'), ({ params }) => json(demo.reviewJob(String(params.jobId)))),
    http.post(at('/review/jobs/:jobId/rescore'), async ({ request, params }) =>
      json(demo.rescore(String(params.jobId), await bodyOf(request))),
    ),
    http.post(at('/review/jobs/:jobId/decision'), async ({ request, params }) =>
      json(demo.decide(String(params.jobId), await bodyOf(request))),
    ),
    http.get(at('/webhooks'), () => json(demo.listWebhooks())),
    http.post(at('/webhooks'), async ({ request }) => json(demo.createWebhook(await bodyOf(request)))),
    http.delete(at('/webhooks/:webhookId'), ({ params }) => {
      const answer = demo.deleteWebhook(String(params.webhookId));
      return answer.status === 204 ? new HttpResponse(null, { status: 204 }) : json(answer);
    }),
    http.post(at('/webhooks/:webhookId/rotate'), ({ params }) => json(demo.rotateWebhook(String(params.webhookId)))),
    http.get(at('/webhooks/:webhookId/deliveries'), ({ params }) => json(demo.webhookDeliveries(String(params.webhookId)))),
    http.post(at('/webhooks/:webhookId/deliveries/:eventId/retry'), ({ params }) =>
      json(demo.retryDelivery(String(params.webhookId), String(params.eventId))),
    ),
    http.get(at('/settings'), () => json(demo.getSettings())),
    http.put(at('/settings'), async ({ request }) => json(demo.putSettings(await bodyOf(request)))),
    http.get(at('/settings/audit'), () => json(demo.settingsAudit())),
    http.get(at('/users'), () => json(demo.listUsers())),
    http.post(at('/users'), async ({ request }) => json(demo.inviteUser(await bodyOf(request)))),
    http.patch(at('/users/:username'), async ({ request, params }) =>
      json(demo.changeUser(String(params.username), await bodyOf(request))),
    ),
    http.get(at('/exports'), ({ request }) =>
      new HttpResponse(demo.exportCsv(new URL(request.url).searchParams), {
        status: 200,
        headers: { 'Content-Type': 'text/csv; charset=utf-8' },
      }),
    ),
  ];
}
