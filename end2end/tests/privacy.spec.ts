import { test, expect } from '@playwright/test';
import { ready, watch, send } from './helpers';

// Every kind of page, public and private, asks nothing of any other site:
// no font, script, map, image or beacon.
test('every page loads only from this site', async ({ page, baseURL }, info) => {
  test.setTimeout(60_000);
  const seen = watch(page, baseURL!);
  const visit = async (path: string) => {
    await page.goto(path);
    await ready(page, info);
  };
  for (const path of [
    '/',
    '/past',
    '/?kind=screening&city=Toronto',
    '/events/rally-for-the-disappeared',
    '/events/members-meeting?lang=fr',
    '/events/navruz-celebration?lang=ug-Arab',
    '/events/no-such-event',
    '/organise/login',
  ]) {
    await visit(path);
  }
  // A member's private pages.
  await visit('/events/book-and-craft-fair?lang=en');
  await page.getByRole('radio', { name: 'Maybe', exact: true }).check();
  await page.getByLabel('Name', { exact: true }).fill('Same origin');
  await send(page);
  await expect(page).toHaveURL(/\/rsvp\//);
  await ready(page, info);
  await visit('/my');
  // An organiser's.
  await visit('/organise/login');
  await page.getByLabel('Username').fill('e2e-admin');
  await page.getByLabel('Password').fill('e2e admin passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/organise$/);
  for (const path of [
    '/organise',
    '/organise/events/new',
    '/organise/events/members-meeting/edit',
    '/organise/events/members-meeting/rsvps',
    '/organise/events/members-meeting/check-in',
    '/organise/accounts',
    '/organise/settings',
    '/organise/audit',
  ]) {
    await visit(path);
  }
  await visit('/organise');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(seen.foreign).toEqual([]);
});
