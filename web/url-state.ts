// The whole playground state in the URL fragment (never sent to a server), so a view can be shared:
// #objective=mlm&seed=3&epoch=0&text=...&opt.maskProb=0.3 (options only when they differ from the defaults).
export interface PageState {
  objective: string;
  seed: number;
  epoch: number;
  text: string;
  options: Record<string, string>;
}

export const DEFAULT_TEXT =
  'The quick brown fox jumps over the lazy dog while the farmer watches from the porch. It was a sunny day. The dog slept by the door.';

export function readState(hash: string): PageState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const int = (k: string) => {
    const n = Number(q.get(k));
    return Number.isInteger(n) && n >= 0 ? n : 0;
  };
  const options: Record<string, string> = {};
  for (const [k, v] of q) if (k.startsWith('opt.')) options[k.slice(4)] = v;
  return {
    objective: q.get('objective') ?? 'mlm',
    seed: int('seed'),
    epoch: int('epoch'),
    text: q.get('text') ?? DEFAULT_TEXT,
    options,
  };
}

export function writeState(s: PageState): string {
  const q = new URLSearchParams({ objective: s.objective, seed: String(s.seed), epoch: String(s.epoch), text: s.text });
  for (const [k, v] of Object.entries(s.options)) q.set(`opt.${k}`, v);
  return `#${q.toString()}`;
}
