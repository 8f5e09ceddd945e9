// UL2 mixture of denoisers (issue 7): the paper's seven denoisers drawn uniformly per row, R/X as T5 span corruption,
// S as prefix LM, mode tokens [NLU] / [NLG] / [S2S] first in the inputs.
import { describe, expect, it } from 'vitest';
import { PretextError } from '../../errors.js';
import { Rng } from '../../rng/rng.js';
import { objectiveContract } from '../contract.case.js';
import { expectBinomial } from '../mlm/fixtures.case.js';
import type { ModelInput, TokenExample } from '../../batch/row.js';
import { noiseCounts } from '../span-corruption/index.js';
import { normalizeVocab } from '../../tokenize/vocab.js';
import { parseDenoisers, ul2Objective, type Ul2Options } from './index.js';

// T5-like: pad 0, EOS 1, unk 2, mode tokens 3 4 5; the top 100 ids are sentinels.
const V = 32100;
const NLU = 3;
const NLG = 4;
const S2S = 5;
const vocab = normalizeVocab({ vocabSize: V, padId: 0, eosId: 1, unkId: 2, specialIds: [NLU, NLG, S2S] });
const modes = { nluId: NLU, nlgId: NLG, s2sId: S2S };
const row = (L: number, seed = 0): TokenExample => {
  const r = Rng.of(seed, 0, 0, 'fixture');
  return { input_ids: Int32Array.from({ length: L }, () => 6 + r.int(31000)) };
};
const rows = (n: number, L: number) => Array.from({ length: n }, (_, i) => row(L, i));
const run = (xs: TokenExample[], opts: Partial<Ul2Options> = {}, seed = 1): ModelInput[] => [
  ...ul2Objective.transform(xs, ul2Objective.resolve(opts), { seed, epoch: 0, vocab }),
];

objectiveContract({
  objective: ul2Objective,
  vocab,
  options: modes,
  input: () => rows(14, 60),
  skip: { noSpecialSelected: 'targets hold sentinels and EOS' },
});

describe('ul2', () => {
  it("the paper's mixture: R(3, .15) R(8, .15) X(3, .5) X(8, .5) X(64, .15) X(64, .5) S", () => {
    expect(
      parseDenoisers(ul2Objective.resolve({}).denoisers).map(
        (d) => `${d.mode}${d.mode === 'S' ? '' : `(${d.meanSpanLength}, ${d.noiseDensity})`}`,
      ),
    ).toEqual(['R(3, 0.15)', 'R(8, 0.15)', 'X(3, 0.5)', 'X(8, 0.5)', 'X(64, 0.15)', 'X(64, 0.5)', 'S']);
  });

  it('each denoiser is drawn 1/7 of the time; the mode token matches it; R/X hide T5 noise counts', () => {
    const out = run(rows(2800, 200), modes);
    const list = parseDenoisers(ul2Objective.resolve({}).denoisers);
    const counts = new Array(list.length).fill(0);
    for (const r of out) {
      const d = list[r.denoiser as number];
      counts[r.denoiser as number]++;
      expect(r.input_ids[0]).toBe(d.mode === 'R' ? NLU : d.mode === 'X' ? NLG : S2S);
      if (d.mode === 'S') {
        expect(r.input_ids.length - 2 + r.labels!.length - 1).toBe(200); // mode token and EOS; EOS
      } else {
        const { noise } = noiseCounts(200, d.noiseDensity, d.meanSpanLength);
        const sentinels = Array.from(r.labels!).filter((x) => x >= V - 100).length;
        expect(r.labels!.length - sentinels - 1).toBe(noise);
      }
    }
    for (const c of counts) {
      const b = expectBinomial(c, out.length, 1 / 7);
      expect(b.ok, b.detail).toBe(true);
    }
  });

  it('rates weight the mixture; without mode ids no token is prepended', () => {
    const out = run(rows(200, 40), { denoisers: 'R:3:0.15,S', rates: '0,1' });
    for (const r of out) {
      expect(r.denoiser).toBe(1);
      expect(r.input_ids[r.input_ids.length - 1]).toBe(1);
      expect(r.input_ids.length + r.labels!.length).toBe(40 + 2);
    }
  });

  it('bad mixtures are one-line errors', () => {
    for (const bad of [
      { denoisers: 'Q:3:0.1' },
      { denoisers: 'S,R:3:0.15' },
      { denoisers: 'R:0.5:0.15' },
      { rates: '1,2' },
      { nluId: 3 },
      { denoisers: 'X:3' },
    ] as Partial<Ul2Options>[]) {
      expect(() => ul2Objective.resolve(bad), JSON.stringify(bad)).toThrow(PretextError);
    }
  });
});
