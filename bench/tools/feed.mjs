// Writes the benchmark's feed with ical-generator, as Yighin writes it:
// node feed.mjs EVENTS.json RUNS. Prints the median time of one feed, in ms.
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { readFileSync } from 'node:fs';

const feed = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const runs = Number(process.argv[3] ?? 20);

function write() {
  const calendar = ical({ name: feed.name, prodId: '//Yighin bench//feed//EN', method: ICalCalendarMethod.PUBLISH });
  for (const e of feed.events) {
    calendar.createEvent({
      id: e.uid,
      sequence: e.sequence,
      stamp: new Date(e.stamp * 1000),
      lastModified: new Date(e.last_modified * 1000),
      start: new Date(e.start * 1000),
      end: new Date(e.end * 1000),
      timezone: e.tz,
      summary: e.summary,
      description: e.description,
      location: e.location,
      url: e.url,
      status: e.status === 'CANCELLED' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      categories: [{ name: e.kind }],
    });
  }
  return calendar.toString();
}

write();
const times = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  write();
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(2));
