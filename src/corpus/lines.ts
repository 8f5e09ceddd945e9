// Bytes -> lines, incrementally: only the current chunk and one partial line are held.
import type { Source } from './document.js';

/**
 * Decode UTF-8 chunks (a file stream, a fetch body) and yield lines without their "\n" / "\r\n".
 * A leading BOM is dropped; a final line without "\n" is yielded; an empty input yields nothing.
 */
export async function* linesFromChunks(chunks: Source<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let partial = '';
  for await (const chunk of chunks) {
    partial += decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n', from)) {
      yield stripCr(partial.slice(from, nl));
      from = nl + 1;
    }
    partial = partial.slice(from);
  }
  partial += decoder.decode();
  if (partial !== '') yield stripCr(partial);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
