import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { userSchema, type InviteUser } from '@/types/api';
import { settingsKey } from './get-settings';
import { usersKey } from './get-users';

/** POST /users: a user of the admin's own company, with a role. */
export function useInviteUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (invite: InviteUser) => api.post('/users', invite, userSchema),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: usersKey }), client.invalidateQueries({ queryKey: settingsKey })]),
  });
}
