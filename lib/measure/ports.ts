/**
 * Ports for the real components, chosen so nothing else on the machine can take them while a
 * measurement runs. A port from the kernel's ephemeral range (net.ipv4.ip_local_port_range,
 * 32768-60999 on Debian) was the first choice, but that is the range every outgoing connect()
 * draws its source port from: while a killed backend is down (haproxy-measured-checks' crash
 * trials) any client on the machine may get that port as its source port, and the restarted
 * backend's listen() then fails with EADDRINUSE; a connect to a port of that range with nothing
 * listening can even connect the socket to itself (TCP simultaneous open), so a wait for the port
 * "succeeds" with no server. Ports below the ephemeral range are never handed to a connect(), so
 * here a port is drawn at random from [10000, start of the range), bound once on 127.0.0.1 to check
 * it is free (a wildcard listener on it makes that bind fail too), and not handed out twice by this
 * process. Only when that range is empty does the kernel choose (bind to port 0).
 */
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';

const handedOut = new Set<number>();

/** The kernel's ephemeral range [lo, hi] (Linux's default when it cannot be read). */
export function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (lo > 0 && hi >= lo) return [lo, hi];
  } catch {
    /* not Linux */
  }
  return [32768, 60999];
}

function tryBind(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ port: port, host: '127.0.0.1', exclusive: true }, () => {
      const p = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(p));
    });
  });
}

/** A TCP port on 127.0.0.1, free when checked, outside the ephemeral range (see above). */
export async function freePort(): Promise<number> {
  const lo = 10000;
  const hi = ephemeralRange()[0] - 1;
  for (let attempt = 0; hi > lo && attempt < 200; attempt++) {
    const port = randomInt(lo, hi + 1);
    if (handedOut.has(port)) continue;
    if ((await tryBind(port)) !== null) {
      handedOut.add(port);
      return port;
    }
  }
  const port = await tryBind(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  handedOut.add(port);
  return port;
}

/**
 * Resolves when a TCP connect to 127.0.0.1:port reaches a listener, rejects after `timeoutMs`, or
 * at once when `exited` says the process that should listen has died (its reason in the error).
 * A connect whose own source port is `port` is a self-connection, not a listener, and is ignored.
 */
export async function waitForPort(
  port: number,
  timeoutMs = 10000,
  what = `port ${port}`,
  exited?: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        const self = s.localPort === port;
        s.destroy();
        resolve(!self);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    const gone = exited?.() ?? null;
    if (gone !== null) throw new Error(`${what} did not open: ${gone}`);
    if (Date.now() > deadline) throw new Error(`${what} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
