// Byte-for-byte equality of large buffers and typed arrays: `toEqual` walks a megabyte element by element through
// its deep-equality machinery (seconds), this compares natively and still names the first byte that differs.
import { expect } from 'vitest';

const bytesOf = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export function expectSameBytes(actual: ArrayBufferView, expected: ArrayBufferView): void {
  const a = bytesOf(actual),
    b = bytesOf(expected);
  expect(a.length, 'byte length').toBe(b.length);
  if (a.equals(b)) return;
  let at = 0;
  while (a[at] === b[at]) at++;
  expect.fail(`first differing byte at ${at} of ${a.length}: ${a[at]} ≠ ${b[at]}`);
}
