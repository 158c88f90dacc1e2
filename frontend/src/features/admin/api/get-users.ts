import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { userListSchema } from '@/types/api';

export const usersKey = ['users'] as const;

/** GET /users: the company's users with their role and whether they may sign in. */
export function useUsers() {
  return useQuery({
    queryKey: usersKey,
    queryFn: ({ signal }) => api.get('/users', userListSchema, undefined, signal),
  });
}
