/**
 * A real single-server FIFO backend for the HAProxy measurement, run as its own process:
 * `node backend-server.js PORT`. Each request `GET /?s=SECONDS` waits in one FIFO queue and is
 * served for SECONDS of wall-clock time, one at a time (a timer to 2 ms before the deadline, then a
 * spin to it, so timer overshoot does not lengthen service); `GET /health` answers at once (the
 * health check of HAProxy's `option httpchk`). Queue + one server: an ·/G/1 queue in real time.
 */
import * as http from 'http';

const port = Number(process.argv[2]);
const queue: Array<{ res: http.ServerResponse; s: number }> = [];
let busy = false;

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function serveNext(): void {
  const job = queue.shift();
  if (!job) {
    busy = false;
    return;
  }
  busy = true;
  const deadline = nowMs() + job.s * 1000;
  const finish = () => {
    while (nowMs() < deadline) {
      /* spin the last 2 ms */
    }
    job.res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    job.res.end('ok');
    serveNext();
  };
  const wait = deadline - nowMs() - 2;
  if (wait > 0) setTimeout(finish, wait);
  else finish();
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/health')) {
    res.writeHead(200, { 'content-length': '2' });
    res.end('ok');
    return;
  }
  const m = /[?&]s=([0-9.eE+-]+)/.exec(url);
  const s = m ? Math.max(0, Number(m[1])) : 0;
  queue.push({ res: res, s: s });
  if (!busy) serveNext();
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1');
