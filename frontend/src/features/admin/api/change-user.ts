import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { userSchema, type UserChange } from '@/types/api';
import { settingsKey } from './get-settings';
import { usersKey } from './get-users';

/** PATCH /users/{username}: a new role, or disabled / enabled again. */
export function useChangeUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ username, change }: { username: string; change: UserChange }) =>
      api.patch(`/users/${encodeURIComponent(username)}`, change, userSchema),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: usersKey }), client.invalidateQueries({ queryKey: settingsKey })]),
  });
}
