/**
 * An open-loop Poisson load generator over HTTP keep-alive: the send times are drawn in advance
 * (exponential gaps at `rate`, substream `client.arrivals`; the service time each request asks
 * for from `backend.service`), and each request's response time is measured from its SCHEDULED
 * send time, not from when the event loop got round to sending it, so a stalled client or a
 * queue at the client is counted (no coordinated omission: Tene, "How NOT to measure latency").
 */
import * as http from 'http';
import { RandomStreams } from '../random/streams';
import { Exponential } from '../random/exponential';

export interface OpenLoopOptions {
  port: number;
  /** Requests per second. */
  rate: number;
  /** Mean service time the backends are asked for (exponential), s. */
  serviceTime: number;
  /** Measured window after the warm-up, s. */
  duration: number;
  warmup: number;
  seed: number;
}

export interface OpenLoopResult {
  /** Response times (s) of the requests scheduled inside the measured window, by scheduled time. */
  responses: Float64Array;
  /** Their scheduled send times relative to the window's start (s). */
  scheduled: Float64Array;
  errors: number;
  /** Largest lag of an actual send behind its scheduled time (s): the client's own delay. */
  maxSendLag: number;
}

function nowS(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const streams = new RandomStreams(o.seed);
  const arrivals = streams.get('client.arrivals');
  const service = streams.get('backend.service');
  const gap = new Exponential(o.rate);
  const work = new Exponential(1 / o.serviceTime);
  const times: number[] = [];
  const works: number[] = [];
  for (let t = gap.sample(arrivals); t < o.warmup + o.duration; t += gap.sample(arrivals)) {
    times.push(t);
    works.push(work.sample(service));
  }
  const n = times.length;
  const done = new Float64Array(n).fill(NaN);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  let errors = 0;
  let finished = 0;
  let maxLag = 0;
  const start = nowS() + 0.05;
  await new Promise<void>((resolve) => {
    let next = 0;
    const complete = () => {
      finished++;
      if (finished === n) resolve();
    };
    const send = (i: number) => {
      const req = http.get(
        { host: '127.0.0.1', port: o.port, path: `/?s=${works[i].toFixed(6)}`, agent: agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) done[i] = nowS() - (start + times[i]);
            else errors++;
            complete();
          });
        },
      );
      req.on('error', () => {
        errors++;
        complete();
      });
    };
    const tick = () => {
      const now = nowS() - start;
      while (next < n && times[next] <= now) {
        maxLag = Math.max(maxLag, now - times[next]);
        send(next++);
      }
      if (next < n) setTimeout(tick, Math.max(0, (times[next] - (nowS() - start)) * 1000 - 0.5));
    };
    if (n === 0) resolve();
    else setTimeout(tick, 50);
  });
  agent.destroy();
  const keep: number[] = [];
  const when: number[] = [];
  for (let i = 0; i < n; i++) {
    if (times[i] >= o.warmup && Number.isFinite(done[i])) {
      keep.push(done[i]);
      when.push(times[i] - o.warmup);
    }
  }
  return {
    responses: Float64Array.from(keep),
    scheduled: Float64Array.from(when),
    errors: errors,
    maxSendLag: maxLag,
  };
}

/** The q-quantile of the values (linear interpolation between order statistics). */
export function quantileOf(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}
