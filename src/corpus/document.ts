// The unit every corpus source yields: one document, already split into sentences.
import { PretextError } from '../errors.js';

/** One document. `id` is stable across runs (it keys the train/validation split); `sentences` are non-empty strings. */
export interface Document {
  id: string;
  sentences: string[];
  meta: Record<string, unknown>;
}

/** Lines (or documents) from a file, a fetch body or an in-memory array. */
export type Source<T> = AsyncIterable<T> | Iterable<T>;

/** Pass `docs` through, throwing at the end if there were none ("empty corpus: NAME"). */
export async function* nonEmpty(docs: Source<Document>, name: string): AsyncGenerator<Document> {
  let n = 0;
  for await (const doc of docs) {
    n++;
    yield doc;
  }
  if (n === 0) throw new PretextError(`empty corpus: ${name}`);
}

/** Drain a corpus into an array (tests, small corpora). */
export async function collectDocuments(docs: Source<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const doc of docs) out.push(doc);
  return out;
}
