import { withDeadline } from '../../bench/deadline';

describe('withDeadline', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('passes on what the work resolves with', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, 'work')).resolves.toBe(
      7,
    );
  });

  it('fails work that is not done in time, naming it', async () => {
    jest.useFakeTimers();
    const never = new Promise<never>(() => undefined);
    const bounded = withDeadline(never, 1000, 'rsmq consume only');
    jest.advanceTimersByTime(1000);
    await expect(bounded).rejects.toThrow(
      'rsmq consume only: not done within 1000 ms',
    );
  });
});
