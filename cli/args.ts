// A small argv parser: typed flags with defaults, kebab-case names, unknown flags rejected with a one-line error.
// The conventions every command shares live here: ranges checked in flag words, --help text with exit codes.
import { PretextError } from '../src/errors.js';

export type FlagType = 'string' | 'number' | 'int' | 'boolean';

export interface FlagSpec {
  /** kebab-case, without the leading dashes */
  name: string;
  type: FlagType;
  default?: string | number | boolean;
  help: string;
  choices?: readonly string[];
  /** one-letter alias, without the dash: only for the most common options (-o out, -h help) */
  alias?: string;
  /** smallest / largest accepted value of a number or int flag */
  min?: number;
  max?: number;
}

/** The --help flag every command takes. */
export const helpFlag: FlagSpec = { name: 'help', alias: 'h', type: 'boolean', help: 'show this help' };

/** What `pretext` exits with; printed at the end of every --help. */
export const EXIT_CODES = `Exit codes:
  0    success
  1    internal error: a bug in pretext (PRETEXT_DEBUG=1 prints the stack trace)
  2    usage or input error: the one-line message says what to change
  130  interrupted (Ctrl-C, or SIGTERM for pretext train, which saves a checkpoint first)
`;

export interface ParsedArgs {
  flags: Record<string, string | number | boolean | undefined>;
  positionals: string[];
  /** flags the user actually gave (so defaults can be told apart from choices) */
  given: Set<string>;
}

/**
 * The value of `--name VALUE` or `--name=VALUE` (the last one given, up to a bare `--`), read before the full parse:
 * for flags that decide which other flags exist (an objective's options).
 */
export function scanFlag(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === `--${name}`) value = argv[i + 1];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
  }
  return value;
}

/** `maskProb` -> `mask-prob`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `mask-prob` -> `maskProb`. */
export function camel(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function inRange(spec: FlagSpec, n: number, raw: string): number {
  if (spec.min !== undefined && n < spec.min)
    throw new PretextError(`--${spec.name} must be at least ${spec.min}, got ${raw}`);
  if (spec.max !== undefined && n > spec.max)
    throw new PretextError(`--${spec.name} must be at most ${spec.max}, got ${raw}`);
  return n;
}

function convert(spec: FlagSpec, raw: string): string | number | boolean {
  const bad = (what: string) => new PretextError(`--${spec.name} must be ${what}, got '${raw}'`);
  switch (spec.type) {
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw bad('true or false');
    case 'int': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isSafeInteger(n)) throw bad('an integer');
      return inRange(spec, n, raw);
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw bad('a number');
      return inRange(spec, n, raw);
    }
    default:
      if (spec.choices && !spec.choices.includes(raw)) throw bad(`one of ${spec.choices.join(', ')}`);
      return raw;
  }
}

/** Parse argv against flag specs. `--flag value`, `--flag=value`, `--bool`, `--no-bool`; `--` ends flags. */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.alias) byName.set(s.alias, s);
  }
  const flags: ParsedArgs['flags'] = {};
  for (const s of specs) flags[s.name] = s.default;
  const positionals: string[] = [];
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    let spec = byName.get(name);
    if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'boolean' && value === undefined) {
      spec = byName.get(name.slice(3))!;
      name = spec.name;
      value = 'false';
    }
    if (!spec)
      throw new PretextError(
        `unknown option '${arg.split('=')[0]}'${suggestion(
          name,
          specs.map((s) => s.name),
          '--',
        )} (see --help)`,
      );
    if (value === undefined) {
      if (spec.type === 'boolean') value = 'true';
      else {
        if (i + 1 >= argv.length) throw new PretextError(`--${spec.name} needs a value`);
        value = argv[++i];
      }
    }
    flags[spec.name] = convert(spec, value);
    given.add(spec.name);
  }
  return { flags, positionals, given };
}

/** "; did you mean --mask-prob?" when one candidate is within two edits of `name`, else "". */
export function suggestion(name: string, candidates: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best === undefined ? '' : `; did you mean ${prefix}${best}?`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** Help text: usage line, description, one line per flag with its default, and the exit codes. */
export function formatHelp(usage: string, description: string, specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `  ${s.alias ? `-${s.alias}, ` : ''}--${s.name}${s.type === 'boolean' ? '' : ` <${s.choices ? s.choices.join('|') : s.type}>`}`;
    const def = s.default === undefined ? '' : ` (default: ${s.default})`;
    return [left, `${s.help}${def}`] as const;
  });
  const width = Math.min(44, Math.max(0, ...rows.map(([l]) => l.length)) + 2);
  const lines = rows.map(([l, r]) =>
    l.length + 2 > width ? `${l}\n${' '.repeat(width)}${r}` : `${l.padEnd(width)}${r}`,
  );
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${lines.join('\n')}\n\n${EXIT_CODES}`;
}
