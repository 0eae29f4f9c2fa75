import { expect, type Page, type TestInfo } from '@playwright/test';

export const withJs = (info: TestInfo) => info.project.name === 'js-on';

/** Records what would break the privacy and hydration promises. */
export function watch(page: Page, base: string) {
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // A missing page's own 404 is expected; anything else is a fault.
    if (m.type() === 'error' && !m.text().includes('404')) errors.push(`${m.location().url}: ${m.text()}`);
  });
  return { foreign, errors };
}

/** With JavaScript on, waits until the page has hydrated; with it off, checks that nothing ran. */
export async function ready(page: Page, info: TestInfo) {
  if (withJs(info)) {
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  } else {
    await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
  }
}

/** Sends the answer form: its button says what the chosen answer will do. */
export async function send(page: Page) {
  await page.locator('form.rsvp-form button.send').click();
}

/** Cancels the answer on its private page: a step that asks, then the form. */
export async function cancelAnswer(page: Page, info: TestInfo) {
  await page.getByRole('link', { name: 'Cancel my RSVP' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cancel your answer?');
  await ready(page, info);
  await page.getByRole('button', { name: 'Yes, cancel my answer' }).click();
  await expect(page.locator('.rsvp-state')).toHaveText('You cancelled your answer.');
}

/** Nothing is wider than the phone: a mobile browser would widen the layout to fit it. */
export async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
}

/** Everything a thumb taps, smaller than 44×44 CSS pixels: links inside
 *  running text (an organiser's description) excepted, as WCAG does. */
export async function smallTargets(page: Page) {
  return page.evaluate(() => {
    const small: string[] = [];
    const targets = document.querySelectorAll('a[href], button, summary, label.choice');
    for (const element of Array.from(targets)) {
      if (element.closest('.description')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      // A card's title link is tapped through the whole card it covers.
      const covered = element.classList.contains('card-link') ? element.closest('.event-card')!.getBoundingClientRect() : box;
      if (covered.height < 44 || covered.width < 44) {
        small.push(`${element.tagName.toLowerCase()} "${(element.textContent || '').trim().slice(0, 30)}" ${Math.round(covered.width)}×${Math.round(covered.height)}`);
      }
    }
    return small;
  });
}

/** The admin the test command creates (`yighin create-admin`). */
export const ADMIN = { username: 'e2e-admin', password: 'e2e admin passphrase' };

/** Signs in as the test admin through the form. */
export async function signIn(page: Page) {
  await page.goto('/organise/login');
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/organise$/);
}
