import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { settingsAuditSchema, tenantSettingsSchema } from '@/types/api';

export const settingsKey = ['settings'] as const;
export const settingsAuditKey = ['settings', 'audit'] as const;

/** GET /settings: the company's self-approval setting and thresholds (admins). */
export function useSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) => api.get('/settings', tenantSettingsSchema, undefined, signal),
  });
}

/** GET /settings/audit: who changed the settings and users, newest first. */
export function useSettingsAudit() {
  return useQuery({
    queryKey: settingsAuditKey,
    queryFn: ({ signal }) => api.get('/settings/audit', settingsAuditSchema, undefined, signal),
  });
}
