import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ready, watch, fitsThePhone } from './helpers';

test('share an event: plain links, and a flyer printed to PDF with its address', async ({ page, baseURL }, info) => {
  const seen = watch(page, baseURL!);
  await page.goto('/events/iftar-parliament-hill');
  await ready(page, info);
  const share = page.locator('section.share');
  await expect(share.getByRole('link', { name: 'WhatsApp' })).toHaveAttribute('href', /^https:\/\/wa\.me\/\?text=/);
  await expect(share.getByRole('link', { name: 'Telegram' })).toHaveAttribute('href', /^https:\/\/t\.me\/share\/url\?url=/);
  await share.getByRole('link', { name: 'Print a flyer' }).click();
  await expect(page).toHaveURL(/\/events\/iftar-parliament-hill\/flyer$/);
  await ready(page, info);
  const qr = page.locator('.flyer figure img');
  await expect(qr).toBeVisible();
  // The QR code has loaded (a broken image has no natural width).
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await fitsThePhone(page);

  // Printed as the browser prints it, on A4 and on Letter.
  for (const format of ['A4', 'Letter'] as const) {
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format, printBackground: false });
    const file = info.outputPath(`flyer-${format}.pdf`);
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Scan to see the event and answer:');
    expect(text).toContain(`${baseURL}/events/iftar-parliament-hill`);
    expect(text).toContain('Ottawa');
    // The site's header and footer stay off the paper.
    expect(text).not.toContain('Skip to content');
    const pages = execFileSync('pdfinfo', [file]).toString();
    expect(pages).toMatch(/Pages:\s+1\n/);
  }
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});
