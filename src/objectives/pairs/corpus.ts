// The corpus as pair objectives see it: every document validated once, empty sentences dropped, their input
// indices kept so `source` names the caller's sentence numbers.
import { ensure } from '../../errors.js';
import type { DocumentExample } from '../../batch/row.js';
import { checkIds, type VocabInfo } from '../../tokenize/vocab.js';

/** One document's non-empty sentences; orig[k] is sentence k's index in the input document; words[k] its word ids. */
export interface PairDoc {
  sents: Int32Array[];
  orig: Int32Array;
  words?: Int32Array[];
}

/** Validates every document (no tokens or an id outside the vocabulary -> PretextError naming it). */
export function prepareCorpus(docs: readonly DocumentExample[], vocab: VocabInfo, objectiveId: string): PairDoc[] {
  const V = vocab.vocabSize;
  return docs.map((doc, i) => {
    const name = () => `${objectiveId}: document ${i} (id ${JSON.stringify(doc?.id)})`;
    ensure(doc && Array.isArray(doc.sentences), () => `${name()} has no sentences array`);
    const sents: Int32Array[] = [];
    const orig: number[] = [];
    const wordIds = doc.word_ids;
    ensure(
      !wordIds || wordIds.length === doc.sentences.length,
      () => `${name()} has ${doc.sentences.length} sentences but ${wordIds!.length} word id arrays`,
    );
    const words: Int32Array[] = [];
    for (let j = 0; j < doc.sentences.length; j++) {
      const s = doc.sentences[j];
      ensure(s && typeof s.length === 'number', () => `${name()} sentence ${j} is not an id array`);
      for (let t = 0; t < s.length; t++) {
        const id = s[t];
        if (!(id >= 0 && id < V)) checkIds(s, vocab, `${name()} sentence ${j}`);
      }
      ensure(
        !wordIds || wordIds[j]?.length === s.length,
        () => `${name()} sentence ${j}: word ids and tokens differ in length`,
      );
      if (s.length > 0) {
        sents.push(s);
        orig.push(j);
        if (wordIds) words.push(wordIds[j]);
      }
    }
    ensure(sents.length > 0, () => `${name()} has no tokens`);
    return wordIds ? { sents, orig: Int32Array.from(orig), words } : { sents, orig: Int32Array.from(orig) };
  });
}
