// One text through one objective, as `pretext show` and the playground do: encode it with the objective's family
// conventions, run the transform, keep the examples built from the text (document 0 for pair objectives).
import type { Document } from '../corpus/document.js';
import { sentencesOfText } from '../corpus/index.js';
import { PretextError } from '../errors.js';
import type { DocumentExample, ModelInput, TokenExample } from '../batch/row.js';
import type { Objective } from '../objectives/objective.js';
import { isDocumentObjective } from '../objectives/objective.js';
import { maskingWordIds, type Encoding, type Tokenizer } from '../tokenize/index.js';
import { familyOf } from './families.js';

export interface ShowRequest {
  objective: Objective;
  text: string;
  tokenizer: Tokenizer;
  /** resolved options (objective.resolve) */
  options: unknown;
  seed: number;
  epoch: number;
  /** pair objectives draw "another document" from these (the CLI and the page use a Brown sample) */
  otherDocuments?: readonly Document[];
  /** word ids for whole-word and span masking: the family's reference rule (default) or the pre-tokenizer's words */
  words?: 'reference' | 'pre-tokenizer';
}

/** Token rows (or documents of sentences, with word ids) for the objective, from the text. */
export function inputOf(
  o: Objective,
  opts: unknown,
  text: string,
  tok: Tokenizer,
  others: readonly Document[] = [],
  words: ShowRequest['words'] = 'reference',
): { rows?: TokenExample[]; docs?: DocumentExample[] } {
  const wordsOf = (e: Encoding) => maskingWordIds(tok, e, words === 'pre-tokenizer' ? 'pre-tokenizer' : undefined);
  if (o.needs.documents) {
    // word ids per sentence, so whole-word and SpanBERT masking of the pairs can run
    const doc = (id: string | number, sentences: string[]): DocumentExample => {
      const encs = sentences.map((s) => tok.encode(s, undefined, { addSpecialTokens: false }));
      return { id, sentences: encs.map((e) => e.ids), word_ids: encs.map(wordsOf) };
    };
    return { docs: [doc('text', sentencesOfText(text)), ...others.map((d, i) => doc(d.id ?? i, d.sentences))] };
  }
  const encode = (s: string) => tok.encode(s, undefined, { addSpecialTokens: familyOf(o.id).addSpecialTokens });
  if ((opts as { mode?: unknown }).mode === 'supervised') {
    // a supervised contrastive row: the text's first three sentences are anchor, positive and hard negative
    const s = sentencesOfText(text);
    if (s.length < 3)
      throw new PretextError(
        `--mode supervised takes three sentences from the text (anchor. positive. hard negative.); got ${s.length}`,
      );
    return { rows: [{ input_ids: encode(s[0]).ids, positive_ids: encode(s[1]).ids, negative_ids: encode(s[2]).ids }] };
  }
  const enc = encode(text);
  if (enc.ids.length === 0) throw new PretextError('the text has no tokens');
  return { rows: [{ input_ids: enc.ids, word_ids: wordsOf(enc) }] };
}

/** The objective's examples from the text; a one-line PretextError when there are none. */
export function examplesOf(req: ShowRequest): ModelInput[] {
  const { objective: o, tokenizer: tok } = req;
  if (req.text.trim() === '')
    throw new PretextError('empty text: give the text to show, e.g. pretext show "The cat sat on the mat."');
  const ctx = { seed: req.seed, epoch: req.epoch, vocab: tok.vocabInfo() };
  const { rows, docs } = inputOf(o, req.options, req.text, tok, req.otherDocuments, req.words);
  let examples = [
    ...(isDocumentObjective(o) ? o.transform(docs!, req.options, ctx) : o.transform(rows!, req.options, ctx)),
  ];
  if (docs) examples = examples.filter((e) => e.source?.a.doc === 0);
  if (examples.length === 0) throw new PretextError(`${o.id} produced no example from this text (too short?)`);
  return examples;
}
