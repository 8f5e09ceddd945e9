// A prepare worker thread: tokenizes batches of documents into stream sequences (src/prepare/sequences.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { loadTokenizer } from '../../src/tokenize/index.js';
import { documentSequences, packSequences } from '../../src/prepare/sequences.js';
import type { EncodeSettings } from './encode-pool.js';

const settings = workerData as EncodeSettings;
const tok = loadTokenizer(settings.tokenizer);

parentPort!.on('message', (m: { id: number; docs: Parameters<typeof documentSequences>[0][] }) => {
  try {
    const p = packSequences(m.docs.map((d) => documentSequences(d, tok, settings.unit, settings.eosId)));
    parentPort!.postMessage({ id: m.id, packed: p }, [
      p.ids.buffer as ArrayBuffer,
      p.lengths.buffer as ArrayBuffer,
      p.perDocument.buffer as ArrayBuffer,
    ]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
