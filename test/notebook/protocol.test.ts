/**
 * The Jupyter protocol client against a real tslab kernel: one kernel for the whole file.
 * (Each kernel start compiles TypeScript and takes a few seconds.)
 */
import * as crypto from 'crypto';
import {
  decodeJupyterFrames,
  encodeJupyterMessage,
  findFreeLoopbackPorts,
  isRestartableKernelFailure,
  JupyterMessage,
  signJupyterParts,
  TslabKernel,
} from '../../lib/notebook/kernel';
import { fixtures, processExists } from './helpers';

let kernel: TslabKernel;

beforeAll(async () => {
  kernel = await TslabKernel.start({ cwd: fixtures });
}, 90000);

afterAll(async () => {
  await kernel?.shutdown();
});

async function run(code: string, timeoutMs = 30000) {
  const msgs: JupyterMessage[] = [];
  const r = await kernel.execute(code, { timeoutMs, onIopub: (m) => msgs.push(m) });
  return { r, msgs };
}

test('wire format: HMAC-SHA256 over header, parent, metadata, content; identities skipped; tampering rejected', () => {
  const key = 'k3y';
  const header = {
    msg_id: 'm1',
    session: 's',
    username: 'u',
    date: '2026-01-01T00:00:00.000Z',
    msg_type: 'execute_request',
    version: '5.3',
  };
  const frames = encodeJupyterMessage(key, {
    header,
    parent_header: {},
    metadata: {},
    content: { code: '1' },
  });
  expect(frames[0]).toBe('<IDS|MSG>');
  const parts = frames.slice(2);
  const expected = crypto.createHmac('sha256', key).update(parts.join('')).digest('hex');
  expect(frames[1]).toBe(expected);
  expect(signJupyterParts(key, parts)).toBe(expected);
  const wire = [
    Buffer.from('router-identity'),
    ...frames.map((f) => Buffer.from(f)),
    Buffer.from('buf'),
  ];
  const msg = decodeJupyterFrames(key, wire)!;
  expect(msg.header).toEqual(header);
  expect(msg.content).toEqual({ code: '1' });
  expect(msg.buffers.map(String)).toEqual(['buf']);
  const tampered = [...wire];
  tampered[6] = Buffer.from(JSON.stringify({ code: '2' }));
  expect(decodeJupyterFrames(key, tampered)).toBeUndefined();
  expect(decodeJupyterFrames('other key', wire)).toBeUndefined();
  expect(decodeJupyterFrames(key, wire.slice(0, 4))).toBeUndefined();
});

test('free loopback ports are distinct and bindable', async () => {
  const ports = await findFreeLoopbackPorts(5);
  expect(new Set(ports).size).toBe(5);
  for (const p of ports) expect(p).toBeGreaterThan(0);
});

test('kernel_info round trip on shell with iopub connected, and heartbeat', async () => {
  expect(kernel.alive).toBe(true);
  expect(kernel.kernelInfo.protocol_version).toMatch(/^5\./);
  expect(kernel.kernelInfo.language_info.name).toBe('typescript');
  expect(kernel.startupMs).toBeGreaterThan(0);
  expect(await kernel.heartbeat(5000)).toBe(true);
});

test('execute_request: signed round trip with stdout, stderr and the execution count', async () => {
  const { r, msgs } = await run('console.log("out line");\nconsole.error("err line");\n6 * 7');
  expect(r.status).toBe('ok');
  expect(r.timedOut).toBe(false);
  expect(typeof r.executionCount).toBe('number');
  const streams = msgs
    .filter((m) => m.header.msg_type === 'stream')
    .map((m) => [m.content.name, m.content.text]);
  expect(streams).toEqual([
    ['stdout', 'out line\n'],
    ['stderr', 'err line\n'],
    ['stdout', '42\n'],
  ]);
  expect(r.timing.busy && r.timing.reply && r.timing.idle).toBeTruthy();
  const { r: r2 } = await run('1');
  expect(r2.executionCount).toBe((r.executionCount as number) + 1);
});

test('display_data and update_display_data carry the display id', async () => {
  const { r, msgs } = await run(
    'import * as tslab from "tslab";\nconst d = tslab.newDisplay();\nd.text("a");\nd.text("b");',
  );
  expect(r.status).toBe('ok');
  const types = msgs.map((m) => m.header.msg_type);
  expect(types).toEqual(['display_data', 'update_display_data']);
  expect(msgs[0].content.transient.display_id).toBe(msgs[1].content.transient.display_id);
  expect(msgs[1].content.data).toEqual({ 'text/plain': 'b' });
});

test('a failing cell: status error, the real text on stderr (tslab sends no error message)', async () => {
  const { r, msgs } = await run('const s: string = 1;');
  expect(r.status).toBe('error');
  expect(msgs.some((m) => m.header.msg_type === 'error')).toBe(false);
  const err = msgs
    .filter((m) => m.content.name === 'stderr')
    .map((m) => m.content.text)
    .join('');
  expect(err).toContain("Type 'number' is not assignable to type 'string'");
  // the kernel is usable right after an error (tslab cancels requests within 200 ms of one)
  const { r: next } = await run('console.log("after error")');
  expect(next.status).toBe('ok');
});

test('a cell past its timeout is interrupted with SIGINT; the kernel survives', async () => {
  const t0 = Date.now();
  const { r, msgs } = await run('while (true) {}', 1500);
  expect(r.timedOut).toBe(true);
  expect(r.killed).toBe(false);
  expect(r.status).toBe('error');
  expect(Date.now() - t0).toBeLessThan(10000);
  expect(msgs.map((m) => m.content.text).join('')).toMatch(/interrupted/i);
  const { r: after, msgs: out } = await run('console.log("still here")');
  expect(after.status).toBe('ok');
  expect(out[0].content.text).toBe('still here\n');
});

test('a pending top-level await is interrupted too', async () => {
  const { r } = await run('await new Promise(() => {});', 1500);
  expect(r.timedOut).toBe(true);
  expect(r.killed).toBe(false);
  expect((await run('1')).r.status).toBe('ok');
});

test('a kernel that dies is reported, not waited on; shutdown leaves no process', async () => {
  const k = await TslabKernel.start({ cwd: fixtures });
  const pid = k.pid;
  expect(processExists(pid)).toBe(true);
  const t0 = Date.now();
  await expect(k.execute('process.exit(3);', { timeoutMs: 60000 })).rejects.toThrow(
    /tslab kernel died \(exit code 3\) while executing the cell/,
  );
  expect(Date.now() - t0).toBeLessThan(10000);
  expect(k.alive).toBe(false);
  expect(await k.heartbeat(500)).toBe(false);
  await expect(k.execute('1')).rejects.toThrow(/died/);
  await k.shutdown();
  expect(processExists(pid)).toBe(false);
}, 90000);

test('a port that is already taken fails the start fast with a clear error (no wait for the startup timeout)', async () => {
  const net = await import('net');
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const taken = (blocker.address() as import('net').AddressInfo).port;
  try {
    const [iopub, stdin, control, hb] = await findFreeLoopbackPorts(4);
    const t0 = Date.now();
    await expect(
      TslabKernel.start({
        cwd: fixtures,
        startupTimeoutMs: 60000,
        ports: { shell: taken, iopub, stdin, control, hb },
      }),
    ).rejects.toThrow(/address already in use/i);
    expect(Date.now() - t0).toBeLessThan(30000);
  } finally {
    blocker.close();
  }
}, 90000);

test('shutdown_request ends the kernel process (the shared kernel, last)', async () => {
  const pid = kernel.pid;
  expect(processExists(pid)).toBe(true);
  const t0 = Date.now();
  await kernel.shutdown();
  expect(Date.now() - t0).toBeLessThan(8000);
  expect(kernel.alive).toBe(false);
  expect(processExists(pid)).toBe(false);
});

describe('kernel start failures worth a restart', () => {
  it("restarts on a taken port and on tslab's bind race, not on other failures", () => {
    // the kernel log seen in CI when a kernel_info request raced tslab's socket binds
    const raced =
      "UnhandledPromiseRejection: Error: Socket is blocked by a bind or unbind operation\n    at ZmqMessage.signAndSend (node_modules/tslab/dist/jupyter.js:143:14) {\n  errno: 16,\n  code: 'EBUSY'\n}";
    expect(isRestartableKernelFailure(raced)).toBe(true);
    expect(isRestartableKernelFailure('Error: Address already in use')).toBe(true);
    expect(isRestartableKernelFailure("SyntaxError: Unexpected token '}'")).toBe(false);
    expect(isRestartableKernelFailure('')).toBe(false);
  });
});
