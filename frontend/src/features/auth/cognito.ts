/**
 * Sign-in against the user pool with Amplify Auth (v6; SRP, so the password never leaves
 * the browser), the same code on AWS and on the local cloud, whose Cognito endpoint
 * comes from the runtime config. Tokens stay in memory (a Map that dies with the page);
 * Amplify refreshes them with the refresh token when they expire.
 */
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn as amplifySignIn, signOut as amplifySignOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import type { KeyValueStorageInterface } from 'aws-amplify/utils';
import type { AuthConfig } from '@/config/env';
import { roleOfGroups, type Session } from '@/lib/session';

class MemoryStorage implements KeyValueStorageInterface {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value);
    return Promise.resolve();
  }
  getItem(key: string): Promise<string | null> {
    return Promise.resolve(this.items.get(key) ?? null);
  }
  removeItem(key: string): Promise<void> {
    this.items.delete(key);
    return Promise.resolve();
  }
  clear(): Promise<void> {
    this.items.clear();
    return Promise.resolve();
  }
}

export class SignInError extends Error {
  override name = 'SignInError';
}

let configured = false;

function configure(config: AuthConfig): void {
  if (configured) return;
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.endpoint ? { userPoolEndpoint: config.endpoint } : {}),
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
  configured = true;
}

/** The ID token, refreshed by Amplify when it has expired. */
async function idToken(): Promise<string | null> {
  const { tokens } = await fetchAuthSession();
  return tokens?.idToken?.toString() ?? null;
}

export async function signIn(config: AuthConfig, email: string, password: string, onSignOut: () => void): Promise<Session> {
  configure(config);
  let step: string;
  try {
    // A user signed in before (another tab of the same page life) is signed out first.
    await amplifySignOut();
    step = (await amplifySignIn({ username: email, password })).nextStep.signInStep;
  } catch (error) {
    throw new SignInError(error instanceof Error ? error.message : 'Sign-in failed.');
  }
  if (step !== 'DONE') {
    throw new SignInError(`This account must complete "${step}" first, which this screen does not offer yet; ask your admin.`);
  }
  const { tokens } = await fetchAuthSession();
  const claims = tokens?.idToken?.payload ?? {};
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [];
  const role = roleOfGroups(groups);
  const tenant = typeof claims['custom:tenant'] === 'string' ? claims['custom:tenant'] : '';
  if (role === null || tenant === '') {
    await amplifySignOut();
    throw new SignInError('This account has no company or role yet; ask your admin.');
  }
  return {
    email: typeof claims.email === 'string' ? claims.email : email,
    tenant,
    role,
    idToken,
    signOut: () => {
      void amplifySignOut();
      onSignOut();
    },
  };
}
