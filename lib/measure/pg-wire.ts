/**
 * A minimal PostgreSQL client for the measurement's probes: protocol 3.0 over TCP, `trust`
 * authentication only (the measurement's own clusters, initdb --auth=trust on 127.0.0.1), and the
 * simple query protocol (PostgreSQL 15 docs, §55.2.2 "Simple Query", §55.7 "Message Formats"):
 * StartupMessage; AuthenticationOk 'R', ParameterStatus 'S', BackendKeyData 'K', ReadyForQuery
 * 'Z'; then per Query 'Q': RowDescription 'T', DataRow 'D', CommandComplete 'C', EmptyQuery 'I',
 * ErrorResponse 'E', NoticeResponse 'N', ReadyForQuery 'Z'. Values come back as text (null for
 * NULL). One query at a time per connection: enough for sampling pg_stat_replication and the
 * read-after-write probe, where a general client (the `pg` package) would add a dependency.
 */
import * as net from 'net';

export class PgError extends Error {
  override readonly name = 'PgError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  rows: Array<Array<string | null>>;
  error: PgError | null;
  resolve: (rows: Array<Array<string | null>>) => void;
  reject: (e: Error) => void;
}

export class PgConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private ready: (() => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Connects to 127.0.0.1:port as `user` to `database` (trust authentication). */
  static connect(
    port: number,
    o: { user?: string; database?: string; application_name?: string; timeoutMs?: number } = {},
  ): Promise<PgConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const c = new PgConnection(socket);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new Error(
            `PostgreSQL on ${port}: no answer to the startup within ${o.timeoutMs ?? 10000} ms`,
          ),
        );
      }, o.timeoutMs ?? 10000);
      c.ready = () => {
        clearTimeout(timer);
        resolve(c);
      };
      c.failed = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once('connect', () => {
        const params = [
          'user',
          o.user ?? 'postgres',
          'database',
          o.database ?? 'postgres',
          'application_name',
          o.application_name ?? 'scalelab-measure',
        ];
        const body = Buffer.concat([
          ...params.map((p) => Buffer.from(`${p}\0`, 'utf8')),
          Buffer.from([0]),
        ]);
        const head = Buffer.alloc(8);
        head.writeInt32BE(8 + body.length, 0);
        head.writeInt32BE(196608, 4); // protocol 3.0
        socket.write(Buffer.concat([head, body]));
      });
    });
  }

  /** Runs one SQL string (simple query protocol); the rows of its last result, values as text. */
  query(sql: string): Promise<Array<Array<string | null>>> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    if (this.pending) return Promise.reject(new Error('one query at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { rows: [], error: null, resolve: resolve, reject: reject };
      const body = Buffer.from(`${sql}\0`, 'utf8');
      const head = Buffer.alloc(5);
      head.write('Q', 0, 'latin1');
      head.writeInt32BE(4 + body.length, 1);
      this.socket.write(Buffer.concat([head, body]));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const end = Buffer.from([0x58, 0, 0, 0, 4]); // Terminate 'X'
    this.socket.end(end);
  }

  private fail(e: Error): void {
    const wasClosed = this.closed;
    this.closed = true;
    if (this.failed) {
      const f = this.failed;
      this.failed = null;
      f(e);
    }
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      p.reject(wasClosed ? new Error('connection closed') : e);
    }
  }

  private onData(d: Buffer): void {
    this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
    while (this.buffer.length >= 5) {
      const type = String.fromCharCode(this.buffer[0]);
      const len = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + len) return;
      const msg = this.buffer.subarray(5, 1 + len);
      this.buffer = this.buffer.subarray(1 + len);
      this.onMessage(type, msg);
    }
  }

  private onMessage(type: string, msg: Buffer): void {
    switch (type) {
      case 'R': {
        const code = msg.readInt32BE(0);
        if (code !== 0)
          this.fail(
            new Error(
              `PostgreSQL asks for authentication method ${code}: only trust is supported here`,
            ),
          );
        return;
      }
      case 'E': {
        const fields = errorFields(msg);
        const e = new PgError(fields.C ?? '', `${fields.S ?? 'ERROR'}: ${fields.M ?? 'error'}`);
        if (this.pending) this.pending.error = e;
        else this.fail(e);
        return;
      }
      case 'D': {
        if (!this.pending) return;
        const n = msg.readInt16BE(0);
        const row: Array<string | null> = [];
        let at = 2;
        for (let i = 0; i < n; i++) {
          const l = msg.readInt32BE(at);
          at += 4;
          if (l < 0) row.push(null);
          else {
            row.push(msg.toString('utf8', at, at + l));
            at += l;
          }
        }
        this.pending.rows.push(row);
        return;
      }
      case 'T':
        if (this.pending) this.pending.rows = [];
        return;
      case 'Z': {
        if (this.ready) {
          const r = this.ready;
          this.ready = null;
          this.failed = null;
          r();
          return;
        }
        const p = this.pending;
        this.pending = null;
        if (!p) return;
        if (p.error) p.reject(p.error);
        else p.resolve(p.rows);
        return;
      }
      default:
        return; // 'S', 'K', 'C', 'I', 'N': nothing to keep
    }
  }
}

function errorFields(msg: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < msg.length && msg[at] !== 0) {
    const code = String.fromCharCode(msg[at]);
    const end = msg.indexOf(0, at + 1);
    out[code] = msg.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return out;
}
