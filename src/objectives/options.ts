// Option resolution shared by every objective: defaults <- partial, unknown keys and wrong types rejected.
import { ensure } from '../errors.js';
import type { OptionSpec } from './objective.js';

/** Merge `partial` over the option defaults, rejecting unknown keys, wrong types and bad choices. */
export function resolveOptions<O>(objectiveId: string, specs: readonly OptionSpec[], partial: Partial<O>): O {
  const byKey = new Map(specs.map((s) => [s.key, s]));
  const out: Record<string, unknown> = {};
  for (const s of specs) if (s.default !== undefined) out[s.key] = s.default;
  for (const [key, value] of Object.entries(partial as Record<string, unknown>)) {
    if (value === undefined) continue;
    const spec = byKey.get(key);
    ensure(spec, () => `${objectiveId}: unknown option '${key}' (options: ${specs.map((s) => s.key).join(', ')})`);
    const ok =
      spec.type === 'boolean'
        ? typeof value === 'boolean'
        : spec.type === 'string'
          ? typeof value === 'string'
          : spec.type === 'int'
            ? Number.isInteger(value)
            : typeof value === 'number' && Number.isFinite(value);
    ensure(
      ok,
      `${objectiveId}: option '${key}' must be ${spec.type === 'int' ? 'an integer' : `a ${spec.type}`}, got ${JSON.stringify(value)}`,
    );
    if (spec.choices)
      ensure(
        spec.choices.includes(value as string),
        `${objectiveId}: option '${key}' must be one of ${spec.choices.join(', ')}, got '${value}'`,
      );
    out[key] = value;
  }
  return out as O;
}

/** A probability in [0, 1]. */
export function checkProbability(objectiveId: string, name: string, p: number): void {
  ensure(p >= 0 && p <= 1, `${objectiveId}: ${name} must be a probability in [0, 1], got ${p}`);
}

/** A positive integer. */
export function checkPositiveInt(objectiveId: string, name: string, n: number): void {
  ensure(Number.isInteger(n) && n > 0, `${objectiveId}: ${name} must be a positive integer, got ${n}`);
}
