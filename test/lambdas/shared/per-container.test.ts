import { perContainer } from '../../../lambdas/shared/handler';

describe('perContainer', () => {
  test('builds on first use, not before, and once per container', () => {
    const build = jest.fn(() => ({ client: Symbol('client') }));
    const deps = perContainer(build);
    expect(build).not.toHaveBeenCalled();
    const first = deps();
    expect(deps()).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
  });

  test('a build that fails is tried again on the next invocation', () => {
    const build = jest
      .fn((): string => 'built')
      .mockImplementationOnce(() => {
        throw new Error('RESULTS_TABLE_NAME is not set');
      });
    const deps = perContainer(build);
    expect(() => deps()).toThrow('RESULTS_TABLE_NAME');
    expect(deps()).toBe('built');
  });
});
