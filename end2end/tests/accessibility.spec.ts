import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { smallTargets } from './helpers';

// Every kind of page, in a left-to-right and the right-to-left language.
const pages = [
  '/',
  '/?kind=screening&city=Toronto',
  '/past',
  '/events/rally-for-the-disappeared',
  '/events/navruz-celebration?lang=ug-Arab',
  '/?lang=ug-Arab',
  '/events/no-such-event',
  '/about?lang=ug-Arab',
  '/organise/login',
];

for (const path of pages) {
  test(`no accessibility violations on ${path}`, async ({ page }, info) => {
    // axe runs as a script inside the page; the HTML checked is the same the
    // server sends with JavaScript off.
    test.skip(info.project.name === 'js-off', 'axe needs JavaScript in the page');
    await page.goto(path);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(summary).toEqual([]);
  });
}

// Every kind of page a member or an organiser taps through, on a phone.
const tapped = [
  '/',
  '/past',
  '/?kind=screening',
  '/events/iftar-parliament-hill',
  '/events/navruz-celebration?lang=ug-Arab',
  '/events/members-meeting?lang=fr',
  '/my',
  '/about',
  '/organise/login',
];

for (const path of tapped) {
  test(`every tap target on ${path} is at least 44×44`, async ({ page }) => {
    await page.goto(path);
    expect(await smallTargets(page)).toEqual([]);
  });
}

test('a member\'s private page and its steps have thumb-sized targets', async ({ page }) => {
  await page.goto('/events/seminar-digital-security');
  await page.getByRole('radio', { name: 'Maybe', exact: true }).check();
  await page.getByLabel('Name', { exact: true }).fill('Tap test');
  await page.locator('form.rsvp-form button.send').click();
  await expect(page).toHaveURL(/\/rsvp\//);
  expect(await smallTargets(page)).toEqual([]);
  await page.getByRole('link', { name: 'Cancel my RSVP' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cancel your answer?');
  expect(await smallTargets(page)).toEqual([]);
  await page.getByRole('button', { name: 'Yes, cancel my answer' }).click();
  await expect(page.locator('.rsvp-state')).toHaveText('You cancelled your answer.');
});
