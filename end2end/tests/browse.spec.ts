import { test, expect } from '@playwright/test';
import { ready, watch, fitsThePhone } from './helpers';

test('list, filter, detail, archive and 404', async ({ page, baseURL }, info) => {
  const seen = watch(page, baseURL!);
  const h1 = page.getByRole('heading', { level: 1 });

  await page.goto('/');
  await ready(page, info);
  await expect(h1).toHaveText('Upcoming events');
  await expect(page.locator('section.day').first()).toBeVisible();
  expect(await page.locator('.event-card').count()).toBeGreaterThan(5);
  await fitsThePhone(page);

  const kinds = page.getByRole('navigation', { name: 'Kind' });
  const cities = page.getByRole('navigation', { name: 'City' });
  await kinds.getByRole('link', { name: 'Iftar' }).click();
  await expect(page).toHaveURL(/\/\?kind=iftar$/);
  await expect(page.locator('.event-card')).toHaveCount(1);
  await expect(page.locator('.event-card h3')).toHaveText('Iftar reception on Parliament Hill');
  await expect(kinds.getByRole('link', { name: 'Iftar' })).toHaveAttribute('aria-current', 'true');

  await kinds.getByRole('link', { name: 'All' }).click();
  await expect(page).toHaveURL(/\/$/);
  await cities.getByRole('link', { name: 'Montréal' }).click();
  await expect(page).toHaveURL(/city=Montr%C3%A9al/);
  const montreal = page.locator('.event-card');
  await expect(montreal.first()).toBeVisible();
  for (const city of await montreal.locator('.city').allTextContents()) expect(city).toBe('Montréal');
  await expect(page.getByText('Iftar reception on Parliament Hill')).toHaveCount(0);

  await page.getByRole('link', { name: 'Seminar: digital security for families' }).click();
  await expect(page).toHaveURL(/\/events\/seminar-digital-security$/);
  await expect(h1).toHaveText('Seminar: digital security for families');
  await expect(page.getByText('3680 rue Jeanne-Mance')).toBeVisible();
  await fitsThePhone(page);

  await page.getByRole('link', { name: 'Past events' }).click();
  await expect(page).toHaveURL(/\/past$/);
  await expect(h1).toHaveText('Past events');
  await expect(page.getByText('Screening: “Stolen Children”')).toBeVisible();
  await expect(page.getByText('Rally for the disappeared')).toHaveCount(0);

  const missing = await page.goto('/events/no-such-event');
  expect(missing?.status()).toBe(404);
  await expect(h1).toHaveText('Page not found');
  const nowhere = await page.goto('/no/such/page');
  expect(nowhere?.status()).toBe(404);

  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('Uyghur in Arabic script is laid out right to left, and a chosen language is remembered', async ({ page, baseURL }, info) => {
  const seen = watch(page, baseURL!);
  const html = page.locator('html');
  const h1 = page.getByRole('heading', { level: 1 });

  // A language in the URL applies to that page.
  await page.goto('/?lang=ug-Arab');
  await ready(page, info);
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(html).toHaveAttribute('lang', 'ug-Arab');
  await expect(h1).toHaveText('ئالدىدىكى پائالىيەتلەر');
  // Mirrored: the site name sits at the right edge of the phone.
  const brand = await page.locator('.brand').boundingBox();
  expect(brand!.x + brand!.width).toBeGreaterThan(390 - 40);
  await fitsThePhone(page);

  // A language in the address is remembered on the next page.
  await page.goto('/past?kind=screening');
  await expect(html).toHaveAttribute('lang', 'ug-Arab');
  // The switcher sits in the header, remembers a choice and comes back to
  // the same list.
  await expect(page.locator('header .languages')).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/past\?kind=screening$/);
  await expect(html).toHaveAttribute('lang', 'en');
  await ready(page, info);
  await page.getByRole('button', { name: 'ئۇيغۇرچە' }).click();
  await expect(page).toHaveURL(/\/past\?kind=screening$/);
  await ready(page, info);
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(h1).toHaveText('ئۆتكەن پائالىيەتلەر');
  await fitsThePhone(page);

  await page.goto('/');
  await expect(html).toHaveAttribute('lang', 'ug-Arab');
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(html).toHaveAttribute('lang', 'fr');
  await expect(html).toHaveAttribute('dir', 'ltr');
  await expect(h1).toHaveText('Événements à venir');

  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('on a laptop: one centred, readable column, every filter in sight', async ({ page, baseURL }, info) => {
  const seen = watch(page, baseURL!);
  await page.setViewportSize({ width: 1366, height: 800 });
  for (const path of ['/', '/events/seminar-digital-security', '/past', '/?lang=ug-Arab', '/?lang=fr']) {
    await page.goto(path);
    await ready(page, info);
    await fitsThePhone(page);
    const main = (await page.locator('main').boundingBox())!;
    // Lines stay short enough to read, and the column sits in the middle.
    expect(main.width).toBeLessThanOrEqual(46 * 16 + 1);
    expect(main.width).toBeGreaterThan(600);
    expect(Math.abs(main.x - (1366 - main.x - main.width))).toBeLessThan(20);
    // With room to spare, the filter chips wrap instead of hiding off the edge.
    for (const chip of await page.locator('.chips a').all()) {
      const box = (await chip.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(main.x);
      expect(box.x + box.width).toBeLessThanOrEqual(main.x + main.width);
    }
  }
  // Mirrored on a wide screen too: the site name is on the right half.
  await page.goto('/?lang=ug-Arab');
  const brand = (await page.locator('.brand').boundingBox())!;
  expect(brand.x).toBeGreaterThan(1366 / 2);

  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('times never break inside, and the main pages are kept as pictures in every language', async ({ page }, info) => {
  test.skip(info.project.name === 'js-off', 'the pictures are the same with JavaScript off');
  test.setTimeout(120_000);
  await page.goto('/events/seminar-digital-security?lang=fr');
  // "18 h 30" is one unbreakable piece.
  await expect(page.locator('.facts time')).toContainText('18\u00a0h\u00a030');
  for (const lang of ['en', 'fr', 'ug-Latn', 'ug-Arab']) {
    for (const [name, path] of [
      ['list', '/'],
      ['event', '/events/iftar-parliament-hill'],
      ['my-rsvps', '/my'],
      ['sign-in', '/organise/login'],
    ]) {
      await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      await ready(page, info);
      await fitsThePhone(page);
      const file = info.outputPath(`${name}-${lang}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await info.attach(`${name}-${lang}`, { path: file, contentType: 'image/png' });
    }
  }
});
