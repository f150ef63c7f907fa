import { expectDrained } from '../../bench/backlog';

describe('expectDrained', () => {
  it('wants exactly the backlog acknowledged', () => {
    expect(() => expectDrained('bullmq', 1000, 1000)).not.toThrow();
    expect(() => expectDrained('bullmq', 999, 1000)).toThrow(
      'bullmq: acknowledged 999 of a backlog of 1000',
    );
    expect(() => expectDrained('bullmq', 1001, 1000)).toThrow(
      'bullmq: acknowledged 1001 of a backlog of 1000',
    );
  });

  it('allows redeliveries where told, never a lost message', () => {
    expect(() => expectDrained('moto', 1001, 1000, true)).not.toThrow();
    expect(() => expectDrained('moto', 999, 1000, true)).toThrow(
      'moto: acknowledged 999 of a backlog of 1000',
    );
  });
});
