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

export function demoHandlers(baseUrl: string, demo: DemoApi): HttpHandler[] {
  const at = (path: string) => `${baseUrl}${path}`;
  return [
    http.post(at('/uploads'), async ({ request }) => json(demo.createUpload(await bodyOf(request)))),
    http.put(at('/demo-uploads/:jobId'), async ({ request, params }) => {
      const bytes = (await request.arrayBuffer()).byteLength;
      const answer = demo.receiveUpload(String(params.jobId), bytes);
      return new HttpResponse(String(answer.body), { status: answer.status });
    }),
    http.post(at('/jobs/:jobId/start'), ({ params }) => json(demo.start(String(params.jobId)))),
    http.get(at('/jobs'), ({ request }) => json(demo.listJobs(new URL(request.url).searchParams))),
    http.get(at('/jobs/:jobId'), ({ params }) => json(demo.getJob(String(params.jobId)))),
    http.get(at('/jobs/:jobId/result'), async ({ params }) => json(await demo.result(String(params.jobId)))),
    http.get(at('/jobs/:jobId/audit'), ({ params }) => json(demo.auditOf(String(params.jobId)))),
    http.get(at('/review/jobs'), ({ request }) => json(demo.reviewQueue(new URL(request.url).searchParams))),
    http.get(at('/review/jobs/:jobId'), async ({ params }) => json(await demo.reviewJob(String(params.jobId)))),
    http.post(at('/review/jobs/:jobId/decision'), async ({ request, params }) =>
      json(demo.decide(String(params.jobId), await bodyOf(request))),
    ),
    http.get(at('/demo-documents/:file'), async ({ params }) => {
      const pdf = await demo.document(String(params.file).replace(/\.pdf$/, ''));
      if (!pdf) return new HttpResponse('Not found', { status: 404 });
      return new HttpResponse(pdf.slice().buffer, { headers: { 'Content-Type': 'application/pdf' } });
    }),
  ];
}
