// Working memory for the document analysis' large short-lived arrays (gray copies, masks, labels, the card search's
// edge planes and Hough accumulator, the MRZ crop's float planes): megabytes per image, which as fresh typed arrays cost their allocation and much garbage collection.
// A scope lends them from one buffer per thread and zeroes what it lent when it ends, so that each lease starts
// zeroed exactly like a fresh array and no image content stays reachable after the scope (the engine keeps nothing
// of a request: only the buffer's capacity survives).

/** Where a routine takes its arrays from: zeroed, valid until the scope that lent them ends. */
export interface Scratch {
  u8(length: number): Uint8Array;
  i32(length: number): Int32Array;
  u32(length: number): Uint32Array;
  f32(length: number): Float32Array;
}

/** Fresh arrays (no reuse): outside a scope, and for callers that keep the results. */
export const FRESH: Scratch = {
  u8: (n) => new Uint8Array(n),
  i32: (n) => new Int32Array(n),
  u32: (n) => new Uint32Array(n),
  f32: (n) => new Float32Array(n),
};

// The buffer grows to what a scope asked for, up to this; larger scopes get fresh arrays for the rest. The largest
// scope, an MRZ read of a finely printed zone, asks ~25 MB.
const MAX_BYTES = 48 * 1024 * 1024;
const ALIGN = 8;

let buffer = new ArrayBuffer(0);
let active = false;

const aligned = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;

class Arena implements Scratch {
  /** Bytes lent from the buffer. */
  used = 0;
  /** Bytes the scope asked for, lent or not: the buffer's next size. */
  wanted = 0;

  /** Where a lease of `bytes` starts in the buffer; undefined when it does not fit (a fresh array then). */
  private place(bytes: number): number | undefined {
    this.wanted = aligned(this.wanted) + bytes;
    const offset = aligned(this.used);
    if (offset + bytes > buffer.byteLength) return undefined;
    this.used = offset + bytes;
    return offset;
  }

  u8(n: number): Uint8Array {
    const at = this.place(n);
    return at === undefined ? new Uint8Array(n) : new Uint8Array(buffer, at, n);
  }
  i32(n: number): Int32Array {
    const at = this.place(4 * n);
    return at === undefined ? new Int32Array(n) : new Int32Array(buffer, at, n);
  }
  u32(n: number): Uint32Array {
    const at = this.place(4 * n);
    return at === undefined ? new Uint32Array(n) : new Uint32Array(buffer, at, n);
  }
  f32(n: number): Float32Array {
    const at = this.place(4 * n);
    return at === undefined ? new Float32Array(n) : new Float32Array(buffer, at, n);
  }
}

/**
 * Runs `fn` with arrays lent from this thread's buffer. `fn` must be synchronous and must not keep a lent array
 * (or a view of one) beyond its return. A scope inside a scope gets fresh arrays.
 */
export function withScratch<T>(fn: (scratch: Scratch) => T): T {
  if (active) return fn(FRESH);
  active = true;
  const arena = new Arena();
  try {
    return fn(arena);
  } finally {
    new Uint8Array(buffer, 0, arena.used).fill(0);
    const size = Math.min(MAX_BYTES, arena.wanted);
    if (size > buffer.byteLength) buffer = new ArrayBuffer(size);
    active = false;
  }
}
