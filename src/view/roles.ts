// The role of each token in a view (what the model sees or must predict there), with its legend line.
// Pure data: the terminal (cli/render.ts), the playground (web/) and the figures (src/viz/) paint it their own way.

export type Role = 'context' | 'masked' | 'random' | 'kept' | 'special' | 'sentinel' | 'target' | 'segmentB' | 'pad';

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  context: 'context (no loss)',
  masked: 'selected -> [MASK]',
  random: 'selected -> random token',
  kept: 'selected, kept unchanged',
  special: 'special token',
  sentinel: 'sentinel (one per span)',
  target: 'target (loss here)',
  segmentB: 'segment B',
  pad: 'padding',
};

/** The order roles appear in a legend. */
export const LEGEND_ORDER: readonly Role[] = [
  'masked',
  'random',
  'kept',
  'target',
  'sentinel',
  'segmentB',
  'context',
  'special',
  'pad',
];

/** One token shown in a view: its text, its role, and its id (undefined for an ignored label, shown as '·'). */
export interface Cell {
  text: string;
  role: Role;
  id?: number;
}

export interface LegendEntry {
  role: Role;
  description: string;
  count: number;
}

/** The roles present in `roles`, counted, in legend order. */
export function legendOf(roles: Iterable<Role>): LegendEntry[] {
  const counts = new Map<Role, number>();
  for (const r of roles) counts.set(r, (counts.get(r) ?? 0) + 1);
  return LEGEND_ORDER.filter((r) => counts.has(r)).map((r) => ({
    role: r,
    description: ROLE_DESCRIPTIONS[r],
    count: counts.get(r)!,
  }));
}
