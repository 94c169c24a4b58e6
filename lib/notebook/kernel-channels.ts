/**
 * The client's end of a tslab kernel's channels (Jupyter messaging protocol v5.3, over the zeromq
 * package tslab itself uses): shell and control (DEALER), iopub (SUB, every topic) and the
 * heartbeat (REQ). Messages go out signed under the connection file's key in this client's session;
 * every message that comes in is routed by its parent header's msg_id to the request waiting for it
 * (iopub status to onStatus, other iopub messages to onIopub, shell and control replies to onReply).
 * A malformed or wrongly signed message is dropped and noted in the kernel log.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- zeromq's sockets are loaded from tslab's folder at run time and a message's JSON parts are whatever the kernel sends (as in kernel.ts, which eslint.config.mjs exempts) */
import * as crypto from 'crypto';
import { encodeJupyterMessage, decodeJupyterFrames, PROTOCOL_VERSION } from './jupyter-wire';
import type { JupyterMessageHeader } from './jupyter-wire';
import type { PendingRequest } from './kernel-execution';
import type { KernelLog } from './kernel-log';
import { sleep, withinMs } from './bounded-wait';

type Zmq = typeof import('zeromq');
type ZmqSocket = import('zeromq').Socket;

export class KernelChannels {
  /** The HMAC-SHA256 key of the connection file. */
  readonly key = crypto.randomBytes(32).toString('hex');
  /** The requests waiting for the kernel's messages, by msg_id. */
  readonly pending = new Map<string, PendingRequest>();
  private shell: any;
  private control: any;
  private iopub: any;
  private hb: any;
  private hbBusy = false;

  constructor(
    private readonly session: string,
    private readonly log: KernelLog,
  ) {}

  /** Creates the four sockets, connects them to the kernel's ports on 127.0.0.1 and starts receiving. */
  connect(z: Zmq, ports: { shell: number; iopub: number; control: number; hb: number }): void {
    const addr = (port: number) => `tcp://127.0.0.1:${port}`;
    const opts = { linger: 0, sendTimeout: 2000 };
    this.shell = new z.Dealer(opts);
    this.control = new z.Dealer(opts);
    this.iopub = new z.Subscriber({ linger: 0 });
    this.hb = new z.Request({ linger: 0, relaxed: true, correlate: true, sendTimeout: 1000 });
    this.iopub.subscribe();
    this.shell.connect(addr(ports.shell));
    this.control.connect(addr(ports.control));
    this.iopub.connect(addr(ports.iopub));
    this.hb.connect(addr(ports.hb));
    void this.receiveLoop(this.shell, 'shell');
    void this.receiveLoop(this.control, 'control');
    void this.receiveLoop(this.iopub, 'iopub');
  }

  /** Sends a `msgType` request on shell or control; resolves with its msg_id once it is sent. */
  async send(
    channel: 'shell' | 'control',
    msgType: string,
    content: Record<string, any>,
    msgId: string = crypto.randomUUID(),
  ): Promise<string> {
    const sock = channel === 'shell' ? this.shell : this.control;
    const header: JupyterMessageHeader = {
      msg_id: msgId,
      session: this.session,
      username: 'scalelab',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
    await sock.send(
      encodeJupyterMessage(this.key, { header, parent_header: {}, metadata: {}, content }),
    );
    return msgId;
  }

  private async receiveLoop(sock: any, channel: 'shell' | 'control' | 'iopub'): Promise<void> {
    try {
      for await (const frames of sock as AsyncIterable<Buffer[]>) {
        const msg = decodeJupyterFrames(this.key, frames);
        if (!msg) {
          this.log.append(
            Buffer.from(`scalelab: dropped a malformed or wrongly signed ${channel} message\n`),
          );
          continue;
        }
        const parentId = msg.parent_header?.msg_id;
        const p = parentId ? this.pending.get(parentId) : undefined;
        if (!p) continue;
        if (channel === 'iopub') {
          if (msg.header.msg_type === 'status')
            p.onStatus(String(msg.content.execution_state), msg);
          else p.onIopub?.(msg);
        } else {
          p.onReply(msg);
        }
      }
    } catch {
      /* socket closed */
    }
  }

  /**
   * Sends a heartbeat and waits for the echo (one heartbeat at a time); false when none arrives
   * in time or the kernel exits (`exitPromise` resolves) first.
   */
  async heartbeat(timeoutMs: number, exitPromise: () => Promise<void>): Promise<boolean> {
    while (this.hbBusy) await sleep(10);
    this.hbBusy = true;
    try {
      this.hb.receiveTimeout = timeoutMs;
      const ping = crypto.randomBytes(8).toString('hex');
      await this.hb.send(ping);
      const got = await withinMs(
        Promise.race([
          this.hb.receive() as Promise<Buffer[]>,
          exitPromise().then(() => [Buffer.alloc(0)]),
        ]),
        timeoutMs + 100,
      );
      return got != null && got[0].toString() === ping;
    } catch {
      return false;
    } finally {
      this.hbBusy = false;
    }
  }

  /** Closes the sockets (those that were created). */
  close(): void {
    for (const s of [this.shell, this.control, this.iopub, this.hb] as Array<
      ZmqSocket | undefined
    >) {
      try {
        s?.close();
      } catch {
        /* already closed */
      }
    }
  }
}
