import { test, expect, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import ICAL from 'ical.js';
import { ready, withJs, send, cancelAnswer } from './helpers';

// Every feed is read by ical.js, the parser inside Thunderbird, with the
// time zones the feed itself defines: what a calendar app would show must
// be the instant and the day the event's own page states.

interface Parsed {
  calname: string;
  events: { uid: string; summary: string; url: string; location: unknown; start: ICAL.Time; end: ICAL.Time; status: string; sequence: number }[];
}

function parse(text: string): Parsed {
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  for (const line of text.split('\r\n')) {
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  }
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    // A TZID with no VTIMEZONE would silently become local time.
    if (!event.startDate.isDate) {
      expect(ICAL.TimezoneService.has(event.startDate.zone.tzid), event.summary).toBe(true);
    }
    return {
      uid: event.uid,
      summary: event.summary,
      url: String(vevent.getFirstPropertyValue('url')),
      location: vevent.getFirstPropertyValue('location'),
      start: event.startDate,
      end: event.endDate,
      status: String(vevent.getFirstPropertyValue('status')),
      sequence: Number(vevent.getFirstPropertyValue('sequence')),
    };
  });
  return { calname: String(calendar.getFirstPropertyValue('x-wr-calname')), events };
}

/** The start an event's page states: `<time datetime>` with the event's UTC offset. */
const pageStarts = new Map<string, string>();
async function pageStart(request: APIRequestContext, url: string) {
  if (!pageStarts.has(url)) {
    const html = await (await request.get(new URL(url).pathname)).text();
    const match = html.match(/<time datetime="([^"]+)"/);
    expect(match, url).not.toBeNull();
    pageStarts.set(url, match![1]);
  }
  return pageStarts.get(url)!;
}

/** Each event of a feed starts where its page says (a sensitive event's
 *  public entry links to no page: it shows a time and a generic title). */
async function agreesWithPages(request: APIRequestContext, feed: Parsed) {
  for (const event of feed.events.filter((e) => e.url !== 'null')) {
    const stated = await pageStart(request, event.url);
    if (event.start.isDate) {
      expect(event.start.toString(), event.summary).toBe(stated.slice(0, 10));
      expect(event.end.compare(event.start), event.summary).toBe(1);
    } else {
      expect(event.start.toUnixTime(), `${event.summary}: ${event.start} vs ${stated}`).toBe(Date.parse(stated) / 1000);
      expect(event.end.toUnixTime()).toBeGreaterThan(event.start.toUnixTime());
    }
  }
}

async function feed(request: APIRequestContext, path: string) {
  const answer = await request.get(path);
  expect(answer.status(), path).toBe(200);
  expect(answer.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  return parse(await answer.text());
}

test('every public feed reads right in an independent parser', async ({ request }, info) => {
  test.skip(!withJs(info), 'no browser involved: once is enough');
  const all = await feed(request, '/calendar.ics');
  expect(all.events.length).toBeGreaterThanOrEqual(16);
  expect(new Set(all.events.map((e) => e.uid)).size).toBe(all.events.length);
  expect(all.events.some((e) => e.status === 'CANCELLED')).toBe(true);
  expect(all.events.some((e) => e.start.isDate)).toBe(true);
  const redacted = all.events.filter((e) => e.url === 'null');
  expect(redacted.map((e) => [e.summary, e.location])).toEqual([['Réunion des membres', null]]);
  await agreesWithPages(request, all);

  // The schedule crosses a daylight-saving change: Toronto events on both
  // sides of it keep their local times.
  const toronto = all.events.filter((e) => e.start.zone.tzid === 'America/Toronto');
  const offsets = new Set(toronto.map((e) => e.start.zone.utcOffset(e.start) / 3600));
  expect([...offsets].sort((a, b) => a - b)).toEqual([-5, -4]);

  for (const path of [
    '/calendar.ics?kind=seminar',
    '/calendar.ics?city=Toronto',
    '/calendar.ics?language=ug-Arab',
    '/calendar.ics?lang=fr',
    '/calendar.ics?kind=conference&lang=ug-Latn',
  ]) {
    const filtered = await feed(request, path);
    expect(filtered.events.length, path).toBeGreaterThan(0);
    await agreesWithPages(request, filtered);
  }
  // Each event's own file agrees too.
  for (const event of all.events.filter((e) => e.url !== 'null')) {
    const one = await feed(request, `${new URL(event.url).pathname}/calendar.ics`);
    expect(one.events.map((e) => e.uid)).toEqual([event.uid]);
    await agreesWithPages(request, one);
  }
});

test('the personal feed: subscribe from My RSVPs, then stop the address', async ({ page, request, baseURL }, info) => {
  await page.goto('/events/annual-general-assembly');
  await ready(page, info);
  await page.getByRole('radio', { name: 'Going', exact: true }).check();
  await page.getByLabel('Name', { exact: true }).fill('Ayxan');
  await send(page);
  await expect(page.locator('.rsvp-state')).toHaveText('You are going: your place is held.');
  const privateLink = page.url();

  await page.goto('/my');
  await ready(page, info);
  const address = await page.getByLabel('Feed address').inputValue();
  expect(address.startsWith(`${baseURL}/my/feed/`)).toBe(true);
  await expect(page.locator('#my-feed a[href^="webcal://"]')).toHaveAttribute('href', address.replace(/^https?:/, 'webcal:'));
  if (withJs(info)) {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => v.id)).toEqual([]);
  }

  const mine = await feed(request, address);
  expect(mine.calname).toContain('My RSVPs');
  const assembly = mine.events.find((e) => e.summary === 'Annual general assembly');
  expect(assembly).toBeDefined();
  await agreesWithPages(request, mine);
  expect(JSON.stringify(mine)).not.toContain('Ayxan');

  await page.getByRole('link', { name: 'Stop this address and make a new one' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stop this calendar address?');
  await ready(page, info);
  await page.getByRole('button', { name: 'Yes, stop it and make a new one' }).click();
  await expect(page).toHaveURL(/\/my#my-feed$/);
  await ready(page, info);
  const renewed = await page.getByLabel('Feed address').inputValue();
  expect(renewed).not.toBe(address);
  expect((await request.get(address)).status()).toBe(404);
  expect((await feed(request, renewed)).events.length).toBe(mine.events.length);

  // Leave the seat counts as they were.
  await page.goto(privateLink);
  await ready(page, info);
  await cancelAnswer(page, info);
});
