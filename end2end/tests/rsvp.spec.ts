import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ready, watch, withJs, fitsThePhone, send, cancelAnswer } from './helpers';

const privateLink = /\/rsvp\/[A-Za-z0-9_-]{43}$/;

async function answer(page: Page, guests: string, name: string) {
  await page.getByRole('radio', { name: 'Going', exact: true }).check();
  await page.getByLabel('Guests coming with you').fill(guests);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await send(page);
}

/** The seat counts shown on an event's public page. */
async function counts(page: Page, slug: string) {
  await page.goto(`/events/${slug}`);
  return page.locator('.counts').textContent();
}

test('answer, keep the private link, change and cancel', async ({ page, baseURL }, info) => {
  const seen = watch(page, baseURL!);
  expect(await counts(page, 'seminar-digital-security')).toBe('36 of 40 places taken');
  await ready(page, info);

  await page.getByRole('radio', { name: 'Going', exact: true }).check();
  await page.getByLabel('Contact for updates (optional)').fill('signal: tulpar');
  await answer(page, '1', 'Tulpar');
  await expect(page).toHaveURL(privateLink);
  await expect(page.locator('.rsvp-state')).toHaveText('You are going with 1 guest: your places are held.');
  let link = page.url();
  await expect(page.getByLabel('Private link')).toHaveValue(link);
  // The page's one island: a copy button, only where it can work.
  await ready(page, info);
  const copy = page.getByRole('button', { name: 'Copy link' });
  if (withJs(info)) {
    await copy.click();
    await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  } else {
    await expect(copy).toHaveCount(0);
  }
  if (withJs(info)) {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
  }
  await expect(page.locator('.door-code strong')).toHaveText(/^[2-9A-Z]{6}$/);
  await fitsThePhone(page);

  await page.getByLabel('Guests coming with you').fill('2');
  await page.getByRole('button', { name: 'Save changes' }).click();
  // The saved answer shows at once (without JavaScript, on the page the
  // post leads to): wait for it, so no navigation races the post's.
  await expect(page.locator('.rsvp-state')).toHaveText('You are going with 2 guests: your places are held.');
  await expect
    .poll(async () => {
      await page.goto(link);
      return page.getByLabel('Guests coming with you').inputValue();
    })
    .toBe('2');
  expect(await counts(page, 'seminar-digital-security')).toBe('39 of 40 places taken');
  await expect(page.getByText('Tulpar')).toHaveCount(0);

  // This device's answers, found again without the link; opening one
  // issues a new private link.
  await page.goto('/my');
  await ready(page, info);
  await expect(page.getByRole('link', { name: 'Seminar: digital security for families' })).toBeVisible();
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page).toHaveURL(privateLink);
  expect(page.url()).not.toBe(link);
  link = page.url();

  await ready(page, info);
  await cancelAnswer(page, info);
  // Not a dead end: the answer can be given again.
  await expect(page.getByRole('heading', { name: 'Answer again' })).toBeVisible();
  expect(await counts(page, 'seminar-digital-security')).toBe('36 of 40 places taken');

  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('no answer is chosen for the member, and the site explains in its own words', async ({ page }, info) => {
  await page.goto('/events/seminar-digital-security?lang=ug-Arab');
  await ready(page, info);
  for (const radio of await page.locator('input[name="answer"]').all()) {
    await expect(radio).not.toBeChecked();
  }
  // Until an answer is chosen, the rest of the form stays folded.
  await expect(page.locator('#rsvp-name')).toBeHidden();
  await page.locator('form.rsvp-form button.send').click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  // In the page's language, not the browser's.
  await expect(summary).not.toContainText('Please');
  await expect(summary.locator('a').first()).toHaveAttribute('href', '#rsvp-answer-going');
});

test('a mistake is explained next to its field, and nothing typed is lost', async ({ page }, info) => {
  await page.goto('/events/seminar-digital-security');
  await ready(page, info);
  await page.getByRole('radio', { name: 'Going', exact: true }).check();
  await page.getByLabel('Note for the organisers (optional)').fill('arriving late');
  await answer(page, '0', 'abc\u202Efdp');
  await expect(page.locator('#rsvp-name-error')).toHaveText('Contains hidden control characters; please remove them.');
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Note for the organisers (optional)')).toHaveValue('arriving late');
  await expect(page).toHaveURL(/\/events\/seminar-digital-security(\/rsvp)?$/);
});

test('a waitlisted answer is promoted when someone cancels', async ({ page }, info) => {
  // The demo iftar has 3 of 120 places left.
  await page.goto('/events/iftar-parliament-hill');
  await ready(page, info);
  await answer(page, '2', 'First');
  await expect(page).toHaveURL(privateLink);
  const first = page.url();

  await page.goto('/events/iftar-parliament-hill');
  await expect(page.getByText('This event is full')).toBeVisible();
  await ready(page, info);
  await answer(page, '0', 'Second');
  await expect(page).toHaveURL(privateLink);
  await expect(page.locator('.rsvp-state')).toContainText('You are number 1 on the waitlist.');
  const second = page.url();
  expect(await counts(page, 'iftar-parliament-hill')).toBe('120 of 120 places taken · 1 on the waitlist');

  await page.goto(first);
  await ready(page, info);
  await cancelAnswer(page, info);
  await page.goto(second);
  await expect(page.locator('.rsvp-state')).toHaveText('You are going: your place is held.');

  // Leave the demo as it was.
  await ready(page, info);
  await cancelAnswer(page, info);
  expect(await counts(page, 'iftar-parliament-hill')).toBe('117 of 120 places taken');
});
