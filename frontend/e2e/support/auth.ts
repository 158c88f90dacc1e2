/** Signing in to the live app and to the API as the local cloud's demo users. */
import { expect, type Page } from '@playwright/test';

// The local cloud's demo users (`docuflow up` prints them).
export const PASSWORD = process.env.DOCUFLOW_PASSWORD ?? 'DocuFlow-demo-2026!';
export const CLERK = 'clerk@acme.test';
export const REVIEWER = 'reviewer@acme.test';

/** Signs in on the sign-in screen the page shows. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}

/** Signs out; the sign-in screen shows again. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

/** The user's ID token, as `docuflow token` gets it (USER_PASSWORD_AUTH). */
export async function idToken(page: Page, email: string): Promise<string> {
  const config = (await (await page.request.get('/config.json')).json()) as {
    auth: { userPoolId: string; userPoolClientId: string; endpoint?: string };
  };
  const region = config.auth.userPoolId.split('_')[0] ?? 'us-east-1';
  const answer = await fetch(config.auth.endpoint ?? `https://cognito-idp.${region}.amazonaws.com/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.auth.userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
    }),
  });
  const body = (await answer.json()) as { AuthenticationResult?: { IdToken: string } };
  expect(body.AuthenticationResult, `sign-in of ${email}`).toBeDefined();
  return body.AuthenticationResult?.IdToken ?? '';
}
