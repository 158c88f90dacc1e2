import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { tenantSettingsSchema, type SettingsUpdate } from '@/types/api';
import { settingsKey } from './get-settings';

/** PUT /settings: the settings as a whole, conditional on the version the admin saw. */
export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (update: SettingsUpdate) => api.put('/settings', update, tenantSettingsSchema),
    onSuccess: (saved) => {
      client.setQueryData(settingsKey, saved);
      return client.invalidateQueries({ queryKey: settingsKey });
    },
  });
}
