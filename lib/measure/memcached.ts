/**
 * Real memcached on loopback (Debian's memcached; `-m` MB of item memory, one worker thread,
 * its default segmented LRU and slab allocator), read cache-aside by a client over the text
 * protocol: `get k`, and on a miss `set k 0 0 S noreply` with S bytes, one request at a time on
 * one connection. The key stream is the same one the simulator replays (lib/systems/cache/replay.ts:
 * a gap draw then a key draw per request from stream `cache.requests`), so the measured and the
 * simulated hit ratios see identical requests. memcached's own counters (`stats`: get_hits,
 * get_misses; `stats items`: items held, evictions; `stats slabs`: chunk size) are read at the end.
 */
import * as net from 'net';
import { RandomStreams } from '../random/streams';
import { Exponential } from '../random/exponential';
import { KeySampler } from '../systems/cache/popularity';
import { findMemcached } from './components';
import { cleanupAll, freePort, startProcess, stopProcess, waitForPort } from './processes';

export interface MemcachedRun {
  memoryMB: number;
  itemSize: number;
  objects: number;
  alpha: number;
  requests: number;
  warmup: number;
  seed: number;
}

export interface MemcachedResult {
  hits: number;
  misses: number;
  hitRatio: number;
  /** Items memcached held at the end (its capacity in items once full). */
  items: number;
  evictions: number;
  chunkSize: number;
  getHits: number;
  getMisses: number;
}

/** The key stream replay() draws for `seed` (identical draws, in order). */
export function keyStream(o: {
  objects: number;
  alpha: number;
  requests: number;
  seed: number;
}): Int32Array {
  const rng = new RandomStreams(o.seed).get('cache.requests');
  const keys = new KeySampler({ model: 'zipf', objects: o.objects, alpha: o.alpha }, 0);
  const gap = new Exponential(1);
  const out = new Int32Array(o.requests);
  let t = 0;
  for (let i = 0; i < o.requests; i++) {
    t += gap.sample(rng);
    out[i] = keys.next(t, rng);
  }
  return out;
}

/** A line-oriented text-protocol connection: send a command, await the reply up to a terminator. */
class Connection {
  private buffer = '';
  private waiting: { end: RegExp; resolve: (s: string) => void } | null = null;
  constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.check();
    });
  }
  private check(): void {
    if (!this.waiting) return;
    const m = this.waiting.end.exec(this.buffer);
    if (!m) return;
    const cut = m.index + m[0].length;
    const reply = this.buffer.slice(0, cut);
    this.buffer = this.buffer.slice(cut);
    const w = this.waiting;
    this.waiting = null;
    w.resolve(reply);
  }
  request(command: string, end: RegExp): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = { end: end, resolve: resolve };
      this.socket.write(command);
      this.check();
    });
  }
  write(data: string): void {
    this.socket.write(data);
  }
}

function statValues(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const f = line.split(' ');
    if (f[0] === 'STAT') m.set(f[1], f[2]);
  }
  return m;
}

export async function measureMemcached(o: MemcachedRun): Promise<MemcachedResult> {
  const { binary } = findMemcached();
  const port = await freePort();
  const user = process.getuid && process.getuid() === 0 ? ['-u', 'root'] : [];
  const child = startProcess(binary, [
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    '0',
    '-m',
    String(o.memoryMB),
    '-t',
    '1',
    '-c',
    '64',
    ...user,
  ]);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  try {
    await waitForPort(port, 10000, 'memcached').catch(() => {
      throw new Error(`memcached did not start: ${stderr.trim()}`);
    });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', () => resolve()).once('error', reject),
    );
    const c = new Connection(socket);
    const keys = keyStream({
      objects: o.objects,
      alpha: o.alpha,
      requests: o.warmup + o.requests,
      seed: o.seed,
    });
    const value = 'x'.repeat(o.itemSize);
    const end = /(END|ERROR[^\r]*)\r\n/;
    let hits = 0;
    let misses = 0;
    for (let i = 0; i < keys.length; i++) {
      if (i === o.warmup) hits = misses = 0;
      const k = `key:${keys[i]}`;
      const reply = await c.request(`get ${k}\r\n`, end);
      if (reply.startsWith('VALUE')) hits++;
      else {
        misses++;
        c.write(`set ${k} 0 0 ${o.itemSize} noreply\r\n${value}\r\n`);
      }
    }
    const stats = statValues(await c.request('stats\r\n', end));
    const items = statValues(await c.request('stats items\r\n', end));
    const slabs = statValues(await c.request('stats slabs\r\n', end));
    socket.destroy();
    let held = 0;
    let evicted = 0;
    let chunk = 0;
    for (const [k, v] of items) {
      if (/^items:\d+:number$/.test(k)) held += Number(v);
      if (/^items:\d+:evicted$/.test(k)) evicted += Number(v);
    }
    for (const [k, v] of slabs) if (/^\d+:chunk_size$/.test(k)) chunk = Math.max(chunk, Number(v));
    return {
      hits,
      misses,
      hitRatio: hits / Math.max(1, hits + misses),
      items: held,
      evictions: evicted,
      chunkSize: chunk,
      getHits: Number(stats.get('get_hits')),
      getMisses: Number(stats.get('get_misses')),
    };
  } finally {
    await stopProcess(child);
    cleanupAll();
  }
}
