import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import ICAL from 'ical.js';
import { ready, watch, withJs, fitsThePhone, send, smallTargets } from './helpers';

async function accessible(page: Page, jsOn: boolean) {
  if (!jsOn) return;
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

// The account the test command creates before starting the server.
const ADMIN = { username: 'e2e-admin', password: 'e2e admin passphrase' };

test('sign in, create an event, a member answers, check them in, cancel the event', async ({ page, browser, baseURL, request }, info) => {
  // The page address is made from the title.
  const title = `Door test ${info.project.name}`;
  const slug = `door-test-${info.project.name}`;
  const seen = watch(page, baseURL!);

  await page.goto('/organise/login');
  await ready(page, info);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/organise$/);
  await expect(page.getByText('Signed in as e2e-admin')).toBeVisible();
  await fitsThePhone(page);
  expect(await smallTargets(page)).toEqual([]);
  await accessible(page, withJs(info));

  await page.getByRole('link', { name: 'New event' }).click();
  await expect(page).toHaveURL(/\/organise\/events\/new$/);
  await ready(page, info);
  await accessible(page, withJs(info));
  // Essentials first: the title, then when and where, before anything else.
  const order = await page.locator('form.event-form :is(input, select, textarea):visible').evaluateAll((fields) =>
    fields.map((f) => f.getAttribute('name')),
  );
  expect(order.slice(0, 5)).toEqual(['title.en', 'summary.en', 'description.en', 'kind', 'start']);
  await page.getByLabel('Title').first().fill(title);
  await page.getByLabel('Starts').fill('2099-05-01T18:00');
  await page.getByLabel('Ends').fill('2099-05-01T20:00');
  await page.getByLabel('Places (empty: no limit)').fill('30');
  // The save button stays in reach at the bottom of the phone's screen.
  const save = (await page.getByRole('button', { name: 'Save', exact: true }).boundingBox())!;
  expect(save.y + save.height).toBeLessThanOrEqual(844);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/organise/events/${slug}/edit\\?saved=1$`));
  await expect(page.getByText('Saved.')).toBeVisible();
  expect(await smallTargets(page)).toEqual([]);

  // A member, on their own phone, answers and gets a door code.
  const member = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: withJs(info) });
  const phone = await member.newPage();
  await phone.goto(`/events/${slug}`);
  await phone.getByRole('radio', { name: 'Going', exact: true }).check();
  await phone.getByLabel('Name', { exact: true }).fill('Ayxan');
  await send(phone);
  await expect(phone.locator('.rsvp-state')).toHaveText('You are going: your place is held.');
  const code = (await phone.locator('.door-code strong').textContent())!.trim();
  const privateLink = phone.url();
  await member.close();

  // The answers screen: counts per state, a filter and a search.
  await page.goto(`/organise/events/${slug}/rsvps`);
  await ready(page, info);
  await expect(page.locator('.counts')).toHaveText('1 of 30 places taken');
  await expect(page.getByRole('link', { name: 'Going (1)' })).toBeVisible();
  await page.getByLabel('Search by name or door code').fill('zzz');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No answer matches.')).toBeVisible();
  await page.getByLabel('Search by name or door code').fill('ayx');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('.answer-row')).toHaveCount(1);
  await fitsThePhone(page);
  expect(await smallTargets(page)).toEqual([]);
  await accessible(page, withJs(info));

  // At the door: the code in, the name and the headcount out.
  await page.goto(`/organise/events/${slug}/check-in`);
  await ready(page, info);
  await expect(page.locator('.headcount')).toHaveText('0 of 1 people arrived');
  await expect(page.getByText('Ayxan')).toHaveCount(0);
  await page.getByLabel('Door code').fill('ZZZZZZ');
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(page.locator('.check-in-result.stop')).toContainText('No answer has this code.');
  await page.getByLabel('Door code').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(page.locator('.check-in-result.ok')).toContainText('Ayxan is checked in: 1 person.');
  // The box is empty again, for the next person.
  await expect(page.getByLabel('Door code')).toHaveValue('');
  expect(await smallTargets(page)).toEqual([]);
  await expect(page.locator('.headcount')).toHaveText('1 of 1 people arrived');
  await fitsThePhone(page);
  await accessible(page, withJs(info));

  // Postponed: the member's page strikes the date through, with no ticket
  // and nothing to put in a calendar.
  await page.goto(`/organise/events/${slug}/edit`);
  await ready(page, info);
  await page.getByRole('button', { name: 'Postpone' }).click();
  await expect(page.getByRole('button', { name: 'Schedule again' })).toBeVisible();
  await page.goto(privateLink);
  await ready(page, info);
  await expect(page.locator('.standing.phase-postponed')).toBeVisible();
  await expect(page.locator('s time')).toBeVisible();
  await expect(page.locator('.door-code')).toHaveCount(0);
  await expect(page.getByText('Add to calendar')).toHaveCount(0);

  // Cancelled: the event stays in the feed, cancelled, with a new SEQUENCE.
  await page.goto(`/organise/events/${slug}/edit`);
  await ready(page, info);
  await page.getByRole('link', { name: 'Cancel the event' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cancel this event?');
  await ready(page, info);
  await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
  await expect(page.getByRole('button', { name: 'Schedule again' })).toBeVisible();
  const feed = new ICAL.Component(ICAL.parse(await (await request.get('/calendar.ics')).text()));
  const event = feed.getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('summary') === title);
  expect(event).toBeDefined();
  expect(event!.getFirstPropertyValue('status')).toBe('CANCELLED');
  // Postponed, then cancelled: two changes every calendar must take.
  expect(Number(event!.getFirstPropertyValue('sequence'))).toBe(2);
  // The member's page says not to come, and offers nothing to go with.
  await page.goto(privateLink);
  await ready(page, info);
  await expect(page.locator('.standing.phase-cancelled')).toContainText('This event is cancelled');
  await expect(page.locator('.door-code')).toHaveCount(0);
  await expect(page.locator('input[name="answer"]')).toHaveCount(0);

  // The admin's own screens.
  for (const [path, heading] of [
    ['/organise/accounts', 'Accounts'],
    ['/organise/settings', 'Instance settings'],
    ['/organise/audit', 'Audit log'],
  ]) {
    await page.goto(path);
    await ready(page, info);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await accessible(page, withJs(info));
  }
  await expect(page.getByText(`cancelled ${slug}`)).toBeVisible();

  await page.goto('/organise');
  await ready(page, info);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Let the sign-out land before the next navigation cuts it short.
  await expect(page).toHaveURL(/\/$/);
  await ready(page, info);
  await page.goto('/organise');
  await expect(page.getByText('Please sign in to continue.')).toBeVisible();

  expect(seen.foreign).toEqual([]);
  expect(seen.errors.filter((e) => !e.includes('401'))).toEqual([]);
});
