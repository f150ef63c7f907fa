import { BoundedRun, stamp } from '../../bench/http-workload';
import { LatencyRecorder } from '../../bench/latency-recorder';

// The recorder's arithmetic on a clock the test moves; nothing is timed.

function recorderAt(times: number[]) {
  const clock = [...times];
  const run = new BoundedRun('test', 60_000);
  return new LatencyRecorder(run, () => clock.shift()!);
}

describe('LatencyRecorder', () => {
  it('measures from the send time in the body to the handler call', () => {
    const recorder = recorderAt([12, 25, 1010]);
    recorder.arrived('a', stamp(10));
    recorder.arrived('b', stamp(20));
    recorder.arrived('c', stamp(1000));
    expect(recorder.summary()).toEqual({
      messages: 3,
      duplicates: 0,
      deliveredRate: 2000 / 998,
      p50Ms: 5,
      p99Ms: 10,
      p999Ms: 10,
      maxMs: 10,
    });
  });

  it('counts a message handled twice once, at its first call', () => {
    const recorder = recorderAt([11, 50, 13]);
    recorder.arrived('a', stamp(10));
    recorder.arrived('a', stamp(10));
    recorder.arrived('b', stamp(10));
    expect(recorder.summary()).toMatchObject({
      messages: 2,
      duplicates: 1,
      maxMs: 3,
    });
  });

  it('fails the run with what the consumer reports', async () => {
    const recorder = recorderAt([]);
    recorder.fail(new Error('consumer broke'));
    await expect(recorder.waitFor(1)).rejects.toThrow('consumer broke');
  });

  it('has nothing to summarise before a message arrived', () => {
    expect(() => recorderAt([]).summary()).toThrow('no message arrived');
  });
});
