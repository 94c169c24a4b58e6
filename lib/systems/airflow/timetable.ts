/**
 * When DAG runs happen: cron strings, presets and fixed intervals, with Airflow's two ways of
 * reading a cron string (reference: subsystems.md §6.1 and `[scheduler] create_cron_data_intervals`
 * in config.yml) and `catchup`.
 *
 * - Data-interval timetables (`CronDataIntervalTimetable`, Airflow 2's default; Airflow 3 with
 *   `create_cron_data_intervals=True`; `DeltaDataIntervalTimetable` for a number of seconds): the
 *   run for the interval [tick, next tick) is created once the interval has ended, at the next
 *   tick; its logical date is the interval's start.
 * - `CronTriggerTimetable` (Airflow 3's default for cron strings): the run is created at the tick,
 *   and its logical date is the tick.
 * - `@once`: one run at start_date; `null`: only manual runs (`AirflowSystem.trigger`).
 * - `catchup=true`: every interval (tick) from start_date on gets a run, the missed ones at once
 *   (the scheduler creates one per DAG per loop, limited by max_active_runs); `catchup=false`:
 *   the first run is the latest complete interval (latest tick) before now, then on schedule.
 *
 * Cron: five fields (minute hour day-of-month month day-of-week, `*`, `a-b`, `*\/n`, `a-b/n`,
 * lists; day-of-week 0-7 with 0 and 7 Sunday; when both day fields are restricted a day matches
 * either, as in cron), and the presets @hourly, @daily, @weekly, @monthly, @yearly/@annually.
 * Times are epoch milliseconds, UTC.
 */
import { ParameterError } from '../../errors';

const PRESETS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

export class Cron {
  readonly expression: string;
  private readonly minute: boolean[];
  private readonly hour: boolean[];
  private readonly dom: boolean[];
  private readonly month: boolean[];
  private readonly dow: boolean[];
  private readonly domStar: boolean;
  private readonly dowStar: boolean;

  constructor(expression: string, path = 'schedule') {
    this.expression = expression;
    const text = PRESETS[expression] ?? expression;
    const f = text.trim().split(/\s+/);
    if (f.length !== 5)
      throw new ParameterError(
        path,
        expression,
        'must be a cron string of 5 fields (minute hour day month weekday), a preset such as "@daily", "@once", a number of seconds, or null',
      );
    this.minute = parseField(f[0], 0, 59, path, expression);
    this.hour = parseField(f[1], 0, 23, path, expression);
    this.dom = parseField(f[2], 1, 31, path, expression);
    this.month = parseField(f[3], 1, 12, path, expression);
    const dow = parseField(f[4], 0, 7, path, expression);
    dow[0] = dow[0] || dow[7];
    this.dow = dow;
    this.domStar = f[2] === '*' || f[2].startsWith('*/');
    this.dowStar = f[4] === '*' || f[4].startsWith('*/');
  }

  private dayMatches(d: Date): boolean {
    const a = this.dom[d.getUTCDate()];
    const b = this.dow[d.getUTCDay()];
    if (this.domStar && this.dowStar) return true;
    if (this.domStar) return b;
    if (this.dowStar) return a;
    return a || b;
  }

  /** The first tick at or after `ms` (epoch ms). */
  nextAtOrAfter(ms: number): number {
    const d = new Date(Math.ceil(ms / 60000) * 60000);
    for (let guard = 0; guard < 600000; guard++) {
      if (!this.month[d.getUTCMonth() + 1]) {
        d.setUTCMonth(d.getUTCMonth() + 1, 1);
        d.setUTCHours(0, 0, 0, 0);
      } else if (!this.dayMatches(d)) {
        d.setUTCDate(d.getUTCDate() + 1);
        d.setUTCHours(0, 0, 0, 0);
      } else if (!this.hour[d.getUTCHours()]) {
        d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      } else if (!this.minute[d.getUTCMinutes()]) {
        d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      } else {
        return d.getTime();
      }
    }
    throw new ParameterError('schedule', this.expression, 'never fires');
  }

  /** The last tick at or before `ms`. */
  prevAtOrBefore(ms: number): number {
    const d = new Date(Math.floor(ms / 60000) * 60000);
    for (let guard = 0; guard < 600000; guard++) {
      if (!this.month[d.getUTCMonth() + 1]) {
        d.setUTCDate(1);
        d.setUTCHours(0, 0, 0, 0);
        d.setTime(d.getTime() - 60000);
      } else if (!this.dayMatches(d)) {
        d.setUTCHours(0, 0, 0, 0);
        d.setTime(d.getTime() - 60000);
      } else if (!this.hour[d.getUTCHours()]) {
        d.setUTCMinutes(0, 0, 0);
        d.setTime(d.getTime() - 60000);
      } else if (!this.minute[d.getUTCMinutes()]) {
        d.setTime(d.getTime() - 60000);
      } else {
        return d.getTime();
      }
    }
    throw new ParameterError('schedule', this.expression, 'never fires');
  }
}

function parseField(
  field: string,
  lo: number,
  hi: number,
  path: string,
  expression: string,
): boolean[] {
  const out = new Array<boolean>(hi + 1).fill(false);
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new ParameterError(path, expression, `has a bad cron field "${field}"`);
    let a = lo;
    let b = hi;
    if (m[1] !== '*') {
      a = Number(m[2]);
      b = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : a;
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (a < lo || b > hi || a > b || step < 1)
      throw new ParameterError(path, expression, `has a cron field "${field}" outside ${lo}-${hi}`);
    for (let v = a; v <= b; v += step) out[v] = true;
  }
  return out;
}

/** A DAG's `schedule`: a cron string or preset, `@once`, a number of seconds, or null. */
export type Schedule = string | number | null;

/** One run to create: its logical date and when it may be created (both epoch ms). */
export interface NextRun {
  logicalDate: number;
  createAt: number;
  /** The data interval [start, end) (equal for trigger timetables). */
  intervalStart: number;
  intervalEnd: number;
}

export class Timetable {
  readonly kind: 'none' | 'once' | 'cron-interval' | 'cron-trigger' | 'delta';
  private readonly cron: Cron | null;
  private readonly delta: number;

  constructor(
    schedule: Schedule,
    readonly startDate: number,
    createCronDataIntervals: boolean,
    path = 'schedule',
  ) {
    this.cron = null;
    this.delta = 0;
    if (schedule === null) this.kind = 'none';
    else if (schedule === '@once') this.kind = 'once';
    else if (typeof schedule === 'number') {
      if (!(schedule > 0 && Number.isFinite(schedule)))
        throw new ParameterError(
          path,
          schedule,
          'must be a number of seconds > 0, a cron string, "@once" or null',
        );
      this.kind = 'delta';
      this.delta = schedule * 1000;
    } else if (typeof schedule === 'string') {
      this.cron = new Cron(schedule, path);
      this.kind = createCronDataIntervals ? 'cron-interval' : 'cron-trigger';
    } else {
      throw new ParameterError(
        path,
        schedule,
        'must be a cron string, "@once", a number of seconds or null',
      );
    }
  }

  private tickAtOrAfter(ms: number): number {
    if (this.cron !== null) return this.cron.nextAtOrAfter(ms);
    const k = Math.ceil((ms - this.startDate) / this.delta);
    return this.startDate + Math.max(0, k) * this.delta;
  }

  private tickAfter(ms: number): number {
    return this.cron !== null ? this.cron.nextAtOrAfter(ms + 60000) : this.tickAtOrAfter(ms + 1);
  }

  private tickAtOrBefore(ms: number): number {
    if (this.cron !== null) return this.cron.prevAtOrBefore(ms);
    return this.startDate + Math.floor((ms - this.startDate) / this.delta) * this.delta;
  }

  private tickBefore(ms: number): number {
    return this.cron !== null ? this.cron.prevAtOrBefore(ms - 60000) : this.tickAtOrBefore(ms - 1);
  }

  /** The run after the one at `last` (logical date, epoch ms; null for the first), as of `now`. */
  next(last: number | null, now: number, catchup: boolean): NextRun | null {
    if (this.kind === 'none') return null;
    if (this.kind === 'once')
      return last === null
        ? {
            logicalDate: this.startDate,
            createAt: this.startDate,
            intervalStart: this.startDate,
            intervalEnd: this.startDate,
          }
        : null;
    let start: number;
    if (last !== null) start = this.tickAfter(last);
    else {
      start = this.tickAtOrAfter(this.startDate);
      if (!catchup) {
        const latest =
          this.kind === 'cron-trigger'
            ? this.tickAtOrBefore(now)
            : this.tickBefore(this.tickAtOrBefore(now));
        if (latest > start) start = latest;
      }
    }
    if (this.kind === 'cron-trigger')
      return { logicalDate: start, createAt: start, intervalStart: start, intervalEnd: start };
    const end = this.tickAfter(start);
    return { logicalDate: start, createAt: end, intervalStart: start, intervalEnd: end };
  }
}
