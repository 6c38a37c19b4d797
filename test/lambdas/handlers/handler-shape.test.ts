import path from 'node:path';
import { ALL_FUNCTION_SPECS } from '../../../lib/function-catalog';

/**
 * One shape for every handler: the module exports one `create…Handler`
 * factory (dependencies given, so tests go through the same middy layer as
 * AWS) and `handler`, built by it with the container's dependencies and
 * wrapped in middy (the Powertools logger, errors logged by name).
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

type Module = Record<string, unknown>;
const isMiddy = (value: unknown): boolean =>
  typeof value === 'function' && ['use', 'before', 'after', 'onError'].every((hook) => hook in value);

// The Decide approval function too: behind its URL, it answers refusals instead of throwing, but logs the same way.
describe.each(ALL_FUNCTION_SPECS.map((spec) => [spec.id, spec.entry] as const))('%s (%s)', (id, entry) => {
  test('exports one create…Handler factory, and both it and handler give a middy-wrapped handler', async () => {
    const module = (await import(path.join(ROOT, entry))) as Module;
    const factories = Object.keys(module).filter(
      (name) => /^create\w*Handler$/.test(name) && typeof module[name] === 'function',
    );
    expect({ id, factories: factories.length }).toEqual({ id, factories: 1 });
    expect(isMiddy(module.handler)).toBe(true);
    // What tests build is wrapped too (dependencies are read on first use, not here).
    const factory = module[factories[0] ?? ''] as () => unknown;
    expect(isMiddy(factory())).toBe(true);
  });
});
