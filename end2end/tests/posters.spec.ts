import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ready, watch, withJs, fitsThePhone, signIn } from './helpers';

const PHOTO_TOOL = join(__dirname, '..', '..', 'server', 'tests', 'photo.py');
const SLUG = 'rally-for-the-disappeared';

test('an organiser on a phone adds a poster, members see it and share the event', async ({ page, baseURL }, info) => {
  const seen = watch(page, baseURL!);
  // A phone's photo with its GPS position, camera and thumbnail.
  const photo = info.outputPath('IMG_0451.jpg');
  execFileSync('/usr/bin/python3', [PHOTO_TOOL, 'make', photo]);
  const fake = info.outputPath('not-a-photo.jpg');
  writeFileSync(fake, '<html>not an image</html>');

  await signIn(page);
  await page.goto(`/organise/events/${SLUG}/edit`);
  await ready(page, info);
  const section = page.locator('#poster');
  // A file that is no image: the message next to the field, nothing stored.
  await section.getByLabel(/image \(JPEG, PNG or WebP\)/).setInputFiles(fake);
  await section.getByRole('button', { name: 'Save poster' }).click();
  await expect(page.locator('#field-poster-error')).toHaveText(/not a JPEG, PNG or WebP image/);

  await page.locator('#poster').getByLabel(/image \(JPEG, PNG or WebP\)/).setInputFiles(photo);
  await page.getByLabel('What the poster shows, in English').fill('A crowd reading names in front of the consulate');
  await page.getByRole('button', { name: 'Save poster' }).click();
  await expect(page).toHaveURL(new RegExp(`/organise/events/${SLUG}/edit\\?poster=1#poster$`));
  await expect(page.getByText('Poster saved.')).toBeVisible();
  const preview = page.locator('#poster picture img');
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await fitsThePhone(page);

  // The member's view: the poster turned as the phone showed it, sized
  // before it loads, described.
  if (withJs(info)) {
    // A phone's share sheet, as Android's Chrome has it.
    await page.addInitScript(() => {
      (window as any).shared = [];
      (navigator as any).share = (data: unknown) => {
        (window as any).shared.push(data);
        return Promise.resolve();
      };
    });
  }
  await page.goto(`/events/${SLUG}`);
  await ready(page, info);
  const poster = page.locator('picture.poster img');
  await expect(poster).toHaveAttribute('alt', 'A crowd reading names in front of the consulate');
  await poster.scrollIntoViewIfNeeded();
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const size = await poster.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight, src: img.currentSrc }));
  expect(size.h).toBeGreaterThan(size.w);
  // Chromium takes the WebP.
  expect(size.src).toMatch(/\/posters\/[0-9a-f]{32}\.webp$/);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', /\/posters\/[0-9a-f]{32}\.jpg$/);
  await fitsThePhone(page);

  const share = page.locator('section.share');
  await expect(share.getByLabel("The event's address, to copy")).toHaveValue(`${baseURL}/events/${SLUG}`);
  const sheet = share.getByRole('button', { name: 'Share…' });
  if (withJs(info)) {
    await sheet.click();
    const shared = await page.evaluate(() => (window as any).shared);
    expect(shared).toEqual([{ title: 'Rally for the disappeared', url: `${baseURL}/events/${SLUG}` }]);
  } else {
    // Without JavaScript there is no share sheet to open: only the links.
    await expect(sheet).toBeHidden();
    await expect(share.getByRole('link', { name: 'WhatsApp' })).toBeVisible();
  }

  // The list shows a small one.
  await page.goto('/');
  const thumb = page.locator(`li.event-card:has(a[href="/events/${SLUG}"]) picture.thumb img`);
  await expect(thumb).toHaveAttribute('alt', '');
  await fitsThePhone(page);

  // The data saver hides them everywhere, and brings them back.
  await page.getByRole('button', { name: 'Data saver: hide posters' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('picture')).toHaveCount(0);
  await page.goto(`/events/${SLUG}`);
  await expect(page.locator('picture')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show posters again' }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${SLUG}$`));
  await expect(page.locator('picture.poster')).toHaveCount(1);

  expect(seen.foreign).toEqual([]);
  // The refused file's answer (422) is the one error the console saw.
  expect(seen.errors.filter((e) => !e.includes('/poster: Failed to load resource: the server responded with a status of 422'))).toEqual([]);
});

test('the embeddable list loads in a frame on an allowed website only', async ({ page, baseURL }, info) => {
  // The organisation's own website, on another origin: `localhost` is
  // allowed, `127.0.0.1` (another origin on the same server) is not.
  const host: Server = createServer((_, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<!DOCTYPE html><title>Society</title><h1>Our events</h1><iframe src="${baseURL}/embed?lang=fr" width="360" height="500"></iframe>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const port = (host.address() as { port: number }).port;
  try {
    await signIn(page);
    await page.goto('/organise/settings');
    await ready(page, info);
    await page.getByLabel('Websites that may show the list of events').fill(`http://localhost:${port}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page).toHaveURL(/\/organise\/settings\?saved/);

    await page.goto(`http://localhost:${port}/`);
    const frame = page.frameLocator('iframe');
    await expect(frame.getByRole('link', { name: 'Rassemblement pour les disparus' })).toBeVisible();
    await expect(frame.getByRole('link', { name: 'Rassemblement pour les disparus' })).toHaveAttribute('target', '_blank');

    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.getByRole('heading', { name: 'Our events' })).toBeVisible();
    // The browser refuses to show it there: nothing of it in the frame.
    await page.waitForTimeout(1000);
    const child = page.frames().find((f) => f !== page.mainFrame());
    const links = child ? await child.locator('li.event').count().catch(() => 0) : 0;
    expect(links).toBe(0);
  } finally {
    host.close();
  }
});
