import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zInviteUser } from '../types/generated/zod.gen';

// The e-mail pattern as the OpenAPI document states it, read with JavaScript's regexes
// (JSON Schema's dialect): it must refuse what the API refuses
// (tests/handlers/test_handlers_admin.py) and take what the API takes.
const openapi = z.object({
  components: z.object({
    schemas: z.object({ InviteUser: z.object({ properties: z.object({ email: z.object({ pattern: z.string() }) }) }) }),
  }),
});
const spec = openapi.parse(JSON.parse(readFileSync(resolve(process.cwd(), '../services/api/openapi.json'), 'utf8')));
const pattern = new RegExp(spec.components.schemas.InviteUser.properties.email.pattern, 'u');

describe('the invitation e-mail pattern', () => {
  it.each(['0@0.\u0085x', 'ann\ufeff@acme.test', 'ann@acme.te\u0001st', 'ann\u00a0lee@acme.test'])(
    'refuses %j, as the API does',
    (email) => {
      expect(pattern.test(email)).toBe(false);
      expect(zInviteUser.safeParse({ email, role: 'clerk' }).success).toBe(false);
    },
  );

  it.each(['ann@acme.test', 'New.Clerk@acme.test', 'zoë@exämple.de'])('takes %j', (email) => {
    expect(pattern.test(email)).toBe(true);
    expect(zInviteUser.safeParse({ email, role: 'clerk' }).success).toBe(true);
  });
});
