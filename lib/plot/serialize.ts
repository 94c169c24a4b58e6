/**
 * Figure data made safe for JSON and for embedding in HTML.
 *
 * - TypedArrays become plain arrays (`JSON.stringify(new Float64Array([1]))` gives `{"0":1}`,
 *   which no plotly renderer reads).
 * - NaN and +-Infinity become `null`, which plotly draws as a gap.
 * - Embedded in a `<script>`, `<`, `>`, `&` and U+2028/U+2029 are written as `\uXXXX` escapes, so
 *   a string such as `</script>` in a title cannot end the script early.
 */

/** A deep copy of `value` with TypedArrays as arrays and non-finite numbers as null. */
export function toPlainJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number | bigint>;
    const out = new Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      out[i] = typeof v === 'bigint' ? Number(v) : Number.isFinite(v) ? v : null;
    }
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    out[k] = toPlainJson(v);
  }
  return out;
}

const scriptUnsafe = /[<>&\u2028\u2029]/g;

/** JSON text that is safe inside an HTML `<script>` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(toPlainJson(value)).replace(
    scriptUnsafe,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/**
 * FNV-1a 32-bit hash of a string, as 8 hex digits: deterministic element ids, so that rerunning
 * a notebook does not churn its diff.
 */
export function hashString(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
