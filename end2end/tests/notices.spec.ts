import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ready, watch, withJs, fitsThePhone, send, signIn } from './helpers';

// The account the test command creates before starting the server.
// Where the test command's SMTP server writes what it takes.
const MAIL_FOLDER = process.env.MAIL_FOLDER ?? '';
const READ_MAIL = join(__dirname, '../../server/tests/read_mail.py');

type Mail = { headers: Record<string, string>; text: string; html: string };

/** The messages received for `to`, read as a mail client would. */
function mailTo(to: string): Mail[] {
  if (!existsSync(MAIL_FOLDER)) return [];
  return readdirSync(MAIL_FOLDER)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => JSON.parse(execFileSync('/usr/bin/python3', [READ_MAIL, join(MAIL_FOLDER, name)]).toString()) as Mail)
    .filter((mail) => (mail.headers['to'] ?? '').includes(to));
}


test('opt in to email, read an announcement on the page and in the mail, stop the emails', async ({ page, browser, baseURL }, info) => {
  test.skip(!MAIL_FOLDER, 'the test command starts an SMTP server and names its folder');
  test.setTimeout(90_000);
  const seen = watch(page, baseURL!);
  const address = `e2e-${info.project.name}-${Date.now()}@example.org`;
  const message = `Doors open at 17:00 (${info.project.name})`;

  await page.goto('/events/eid-celebration');
  await ready(page, info);
  await page.getByRole('radio', { name: 'Going', exact: true }).check();
  await page.getByLabel('Name', { exact: true }).fill('Mail test');
  // A wrong address comes back next to its field.
  await page.getByLabel('Email for updates (optional)').fill('not an address');
  await send(page);
  await expect(page.locator('#rsvp-email-error')).toContainText('This is not an email address');
  await page.getByLabel('Email for updates (optional)').fill(address);
  await send(page);
  await expect(page).toHaveURL(/\/rsvp\/[A-Za-z0-9_-]{43}$/);
  const privatePage = page.url();
  await expect(page.getByLabel('Email for updates (optional)')).toHaveValue(address);

  // An organiser writes to those going, from the answers screen.
  const organiser = await browser.newPage({ javaScriptEnabled: withJs(info) });
  await signIn(organiser);
  await organiser.goto('/organise/events/eid-celebration/rsvps');
  await organiser.getByLabel('Message', { exact: true }).fill(message);
  await organiser.getByRole('radio', { name: 'Only those with a place' }).check();
  await organiser.getByRole('button', { name: 'Send the message' }).click();
  await expect(organiser.getByRole('status').filter({ hasText: /^Sent to \d+ answers?\.$/ })).toBeVisible();
  await expect(organiser.getByText(address)).toHaveCount(0);
  await organiser.close();

  // On the private page, at the top, with its time.
  await page.goto(privatePage);
  await ready(page, info);
  const updates = page.locator('section.updates');
  await expect(updates.getByRole('heading', { name: 'Updates' })).toBeVisible();
  await expect(updates.locator('li').first()).toContainText('A message from the organisers:');
  await expect(updates.locator('li').first()).toContainText(message);
  await fitsThePhone(page);
  if (withJs(info)) {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
  }

  // By email, once.
  await expect.poll(() => mailTo(address).length, { timeout: 30_000 }).toBe(1);
  const mail = mailTo(address)[0];
  expect(mail.text).toContain(message);
  expect(mail.text).toContain(privatePage);
  expect(mail.html).not.toContain('<img');
  const stop = /<([^>]+)>/.exec(mail.headers['list-unsubscribe'])![1];

  // The link in the email stops them, without JavaScript too.
  await page.goto(stop);
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stop emails about this event?');
  await page.getByRole('button', { name: 'Stop the emails' }).click();
  await expect(page.getByRole('status')).toHaveText('Done: no more emails about this event. Your address is deleted.');
  await page.goto(privatePage);
  await expect(page.getByLabel('Email for updates (optional)')).toHaveValue('');
  expect(seen.foreign).toEqual([]);
  // The wrong address's answer was a 422, as it should be.
  expect(seen.errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});
