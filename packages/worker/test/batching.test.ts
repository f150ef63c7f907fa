import {
  MAX_BATCH_BYTES,
  MAX_BATCH_ENTRIES,
  chunk,
  messageSize,
} from '../src/batching';

const KiB = 1024;

function sizes(batches: number[][]): number[] {
  return batches.map((b) => b.length);
}

describe('chunk', () => {
  it('gives nothing for nothing', () => {
    expect(chunk([], () => 1)).toEqual([]);
  });

  it('cuts 25 small messages into 10, 10 and 5, in order', () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const batches = chunk(items, () => 100);
    expect(sizes(batches)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(items);
  });

  it('closes a batch before it would pass 1 MiB', () => {
    const batches = chunk(
      [300, 300, 300, 300].map((k) => k * KiB),
      (s) => s,
    );
    expect(sizes(batches)).toEqual([3, 1]);
  });

  it('fills a batch to exactly 1 MiB', () => {
    const half = MAX_BATCH_BYTES / 2;
    expect(sizes(chunk([half, half, 1], (s) => s))).toEqual([2, 1]);
  });

  it('never reorders to pack tighter', () => {
    const items = [700, 500, 300, 200].map((k) => k * KiB);
    expect(chunk(items, (s) => s)).toEqual([
      [700 * KiB],
      [500 * KiB, 300 * KiB, 200 * KiB],
    ]);
  });

  it('gives an item over the limit a batch of its own', () => {
    const items = [1, MAX_BATCH_BYTES + 1, 1];
    expect(chunk(items, (s) => s)).toEqual([[1], [MAX_BATCH_BYTES + 1], [1]]);
  });

  it('takes other limits', () => {
    const batches = chunk([1, 1, 1, 1, 1], (s) => s, {
      maxEntries: 2,
      maxBytes: 10,
    });
    expect(sizes(batches)).toEqual([2, 2, 1]);
    expect(MAX_BATCH_ENTRIES).toBe(10);
  });
});

describe('messageSize', () => {
  it('counts the body in UTF-8 bytes', () => {
    expect(messageSize('héllo', undefined)).toBe(6);
  });

  it('adds each attribute name, data type and value', () => {
    expect(
      messageSize('body', {
        colour: { dataType: 'String', stringValue: 'blé' },
        blob: { dataType: 'Binary', binaryValue: new Uint8Array(5) },
      }),
    ).toBe(4 + (6 + 6 + 4) + (4 + 6 + 5));
  });
});
