// The worker's side of the model kinds (model-kinds.ts): each reads the loaded model through src/eval or the
// model's forward, and answers plain data for the page.
import { embedSentences } from '../src/eval/sentence-pairs.js';
import { fillSentinels } from '../src/eval/fill-sentinels.js';
import type { Model, T5Model } from '../src/model/index.js';
import { specialMask } from '../src/tokenize/vocab.js';
import type { Tokenizer } from '../src/tokenize/index.js';
import { tokenText } from '../src/view/index.js';

/** Sentinels: special ids that are not one of the named specials (as src/view colours them). */
function sentinelTest(tok: Tokenizer): (id: number) => boolean {
  const v = tok.vocabInfo();
  const special = specialMask(v);
  const named = new Set([v.padId, v.unkId, v.clsId, v.sepId, v.maskId, v.bosId, v.eosId]);
  return (id) => special[id] === 1 && !named.has(id);
}

/** T5: the decoder's greedy spans for each sentinel of the text ("The cat <extra_id_0> the mat."). */
export function spanFill(
  model: Model,
  tok: Tokenizer,
  text: string,
): { spans: { sentinel: string; text: string }[]; output: string } {
  const ids = tok.encode(text).ids;
  const r = fillSentinels(model as T5Model, ids, sentinelTest(tok));
  return {
    spans: r.spans.map((s) => ({ sentinel: tokenText(tok, s.sentinel), text: tok.decode(s.ids) })),
    output: tok.decode(r.output, { skipSpecialTokens: false }),
  };
}

/** ELECTRA discriminator: P(replaced) per token, sigmoid of its logit. */
export function replacedScores(model: Model, tok: Tokenizer, text: string): { token: string; score: number }[] {
  const ids = tok.encode(text).ids;
  const out = model.forward(
    { batchSize: 1, length: ids.length, input_ids: ids, attention_mask: new Uint8Array(ids.length).fill(1) },
    { logits: true },
  );
  const logits = out.logits as Float32Array;
  return Array.from(ids, (id, i) => ({ token: tokenText(tok, id), score: 1 / (1 + Math.exp(-logits[i])) }));
}

/** SimCSE: cosine similarity of the two sentences' pooled vectors (evaluation pooler). */
export function similarity(model: Model, tok: Tokenizer, a: string, b: string): { cosine: number } {
  const v = embedSentences(model, [tok.encode(a).ids, tok.encode(b).ids], tok.vocabInfo().padId);
  const C = v.length / 2;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < C; c++) {
    dot += v[c] * v[C + c];
    na += v[c] * v[c];
    nb += v[C + c] * v[C + c];
  }
  return { cosine: dot / Math.sqrt(na * nb) };
}
