import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Every kind of page, in a left-to-right and the right-to-left language.
const pages = [
  '/',
  '/?kind=screening&city=Toronto',
  '/past',
  '/events/rally-for-the-disappeared',
  '/events/navruz-celebration?lang=ug-Arab',
  '/?lang=ug-Arab',
  '/events/no-such-event',
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
