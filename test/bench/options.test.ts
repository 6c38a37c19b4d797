import { defaultTimeLimitSeconds, parseOptions } from '../../bench/options';

describe('bench flags', () => {
  it('defaults to 1,000 and 10,000 accounts, both fault settings, the aws-facts figures', () => {
    const options = parseOptions([]);
    expect(options.accounts).toEqual([1000, 10_000]);
    expect(options.faultSettings.map((f) => f.name)).toEqual(['none', 'throttle-10-fail-1']);
    expect(options).toMatchObject({
      stsRate: 600,
      stsBurst: 600,
      latencyMedianMs: 60,
      sequentialSample: 200,
    });
  });

  it('runs 200 accounts without faults in quick mode', () => {
    const options = parseOptions(['--quick']);
    expect(options.accounts).toEqual([200]);
    expect(options.faultSettings.map((f) => f.name)).toEqual(['none']);
    expect(options.sequentialSample).toBe(20);
  });

  it('takes every figure of the model as a flag', () => {
    const options = parseOptions([
      '--accounts',
      '500',
      '--sts-rate',
      '300',
      '--seed',
      '7',
      '--strategies',
      'rootkeeper',
    ]);
    expect(options).toMatchObject({
      accounts: [500],
      stsRate: 300,
      stsBurst: 300,
      seed: 7,
      strategies: ['rootkeeper'],
    });
  });

  it('refuses unknown values with a message', () => {
    expect(() => parseOptions(['--faults', 'lots'])).toThrow(/unknown fault setting/);
    expect(() => parseOptions(['--accounts', '0'])).toThrow(/account counts/);
  });
});

describe('time limit', () => {
  it('is 600 s up to 20,000 accounts, then 30 ms an account (100,000: 3,000 s)', () => {
    expect(defaultTimeLimitSeconds([1000, 10_000])).toBe(600);
    expect(defaultTimeLimitSeconds([100_000])).toBe(3000);
    expect(parseOptions(['--accounts', '100000', '--strategies', 'rootkeeper']).timeLimitSeconds).toBe(3000);
    expect(parseOptions(['--accounts', '100000', '--time-limit', '900']).timeLimitSeconds).toBe(900);
  });
});
