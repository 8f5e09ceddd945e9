// Every objective's transform on fixed rows and documents, as JSON: run in Node by run.mjs and in the page, compared
// as strings. Takes the public API as an argument so it imports nothing itself.
const VOCAB = { vocabSize: 1000, padId: 0, unkId: 1, clsId: 2, sepId: 3, maskId: 4, eosId: 5, bosId: 6, specialIds: [0, 1, 2, 3, 4, 5, 6, 7] };

function inputs(api) {
  const rng = api.Rng.of(7, 0, 0, 'browser.rows');
  const sentence = () => Int32Array.from({ length: 6 + rng.int(15) }, () => 8 + rng.int(992));
  const framed = (s) => Int32Array.of(2, ...s, 3);
  const rows = Array.from({ length: 6 }, () => {
    const s = sentence();
    return { input_ids: framed(s), word_ids: Int32Array.from([-1, ...s.map((_, i) => i >> 1), -1]), positive_ids: framed(sentence()), negative_ids: framed(sentence()) };
  });
  const docs = Array.from({ length: 4 }, (_, id) => ({ id, sentences: Array.from({ length: 4 }, sentence) }));
  return { rows, docs };
}

// Typed arrays as { Int32Array: [...] }, so a change of element type shows.
const plain = (_, v) => (ArrayBuffer.isView(v) ? { [v.constructor.name]: Array.from(v) } : v);

/** id -> JSON of the transform's output (or of its error), for seed 3, epoch 0, default options. */
export function objectiveOutputs(api) {
  const { rows, docs } = inputs(api);
  const vocab = api.normalizeVocab(VOCAB);
  const out = {};
  for (const o of api.objectives) {
    try {
      const input = api.isDocumentObjective(o) ? docs : rows;
      out[o.id] = JSON.stringify([...o.transform(input, o.resolve({}), { seed: 3, epoch: 0, vocab })], plain);
    } catch (e) {
      out[o.id] = JSON.stringify({ error: String(e?.message ?? e) });
    }
  }
  return out;
}
