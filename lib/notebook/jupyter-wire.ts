/**
 * The Jupyter messaging protocol's wire format (v5.3, jupyter-client's "The Wire Protocol"): a
 * message is the routing identities, the delimiter `<IDS|MSG>`, an HMAC-SHA256 signature of the
 * four JSON parts (header, parent header, metadata, content) under the connection file's key, the
 * four parts, and any binary buffers. A message whose signature does not match is dropped.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a message's JSON parts are whatever the kernel sends (as in kernel.ts, which eslint.config.mjs exempts) */
import * as crypto from 'crypto';

const DELIM = '<IDS|MSG>';
/** The protocol version this client speaks (in every header it sends). */
export const PROTOCOL_VERSION = '5.3';

/** A message header (Jupyter messaging protocol). */
export interface JupyterMessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded Jupyter message. */
export interface JupyterMessage {
  header: JupyterMessageHeader;
  parent_header: Partial<JupyterMessageHeader>;
  metadata: Record<string, any>;
  content: Record<string, any>;
  buffers: Buffer[];
}

/** HMAC-SHA256 hex signature of a message's four JSON parts (header, parent, metadata, content). */
export function signJupyterParts(key: string, parts: string[]): string {
  const h = crypto.createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Encodes a message as wire frames: `<IDS|MSG>`, signature, header, parent, metadata, content. */
export function encodeJupyterMessage(
  key: string,
  msg: Pick<JupyterMessage, 'header' | 'parent_header' | 'metadata' | 'content'>,
): string[] {
  const parts = [
    JSON.stringify(msg.header),
    JSON.stringify(msg.parent_header),
    JSON.stringify(msg.metadata),
    JSON.stringify(msg.content),
  ];
  return [DELIM, signJupyterParts(key, parts), ...parts];
}

/**
 * Decodes wire frames (any routing identities, the delimiter, signature, four JSON parts, buffers)
 * and verifies the signature; undefined when malformed or wrongly signed.
 */
export function decodeJupyterFrames(key: string, frames: Buffer[]): JupyterMessage | undefined {
  const i = frames.findIndex((f) => f.length === DELIM.length && f.toString() === DELIM);
  if (i < 0 || frames.length < i + 6) return undefined;
  const sig = frames[i + 1].toString();
  const parts = frames.slice(i + 2, i + 6).map((f) => f.toString('utf8'));
  const want = signJupyterParts(key, parts);
  if (sig.length !== want.length || !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(want)))
    return undefined;
  try {
    return {
      header: JSON.parse(parts[0]),
      parent_header: JSON.parse(parts[1]),
      metadata: JSON.parse(parts[2]),
      content: JSON.parse(parts[3]),
      buffers: frames.slice(i + 6),
    };
  } catch {
    return undefined;
  }
}
