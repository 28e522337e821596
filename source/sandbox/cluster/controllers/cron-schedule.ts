/**
 * The standard five-field cron schedule a CronJob takes (minute hour day-of-month month
 * day-of-week, each `*`, `N`, `A-B`, with `/step` and `,` lists), plus the @hourly-style
 * macros, matched in UTC. When both day fields are restricted, a time matches either of them,
 * as in cron(8) and the CronJob controller's parser (robfig/cron).
 */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

function field(text: string, [low, high]: [number, number]): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === '*' ? low : Number(match[2]);
    const to = match[1] === '*' ? high : match[3] !== undefined ? Number(match[3]) : match[4] ? high : from;
    const step = match[4] ? Number(match[4]) : 1;
    if (from < low || to > (high === 6 ? 7 : high) || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(high === 6 ? v % 7 : v);
  }
  return values;
}

export interface CronSchedule {
  matches(at: Date): boolean;
}

export function parseCron(schedule: string): CronSchedule | undefined {
  const fields = (MACROS[schedule.trim()] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const sets = fields.map((text, i) => field(text, RANGES[i]!));
  if (sets.some((set) => !set)) return undefined;
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[];
  const dayStar = fields[2] === '*';
  const weekdayStar = fields[4] === '*';
  return {
    matches(at) {
      if (!minutes!.has(at.getUTCMinutes()) || !hours!.has(at.getUTCHours()) || !months!.has(at.getUTCMonth() + 1))
        return false;
      const day = days!.has(at.getUTCDate());
      const weekday = weekdays!.has(at.getUTCDay());
      if (dayStar || weekdayStar) return day && weekday;
      return day || weekday;
    },
  };
}

/** Scheduled minutes in (after, until], newest last; undefined past `limit` (too many missed). */
export function missedTimes(schedule: CronSchedule, after: number, until: number, limit = 100): number[] | undefined {
  const times: number[] = [];
  for (let t = Math.floor(after / 60_000) * 60_000 + 60_000; t <= until; t += 60_000) {
    if (!schedule.matches(new Date(t))) continue;
    times.push(t);
    if (times.length > limit) return undefined;
  }
  return times;
}
