// Word -> tokens cache shared by the models.
import type { TokenRun } from './pre-tokenizers.js';

/** A bounded word -> TokenRun cache (cleared when full, like HF's fixed-capacity cache). */
export class RunCache {
  private map = new Map<string, TokenRun>();
  constructor(private readonly capacity = 100_000) {}
  get(word: string): TokenRun | undefined {
    return this.map.get(word);
  }
  set(word: string, run: TokenRun): void {
    if (this.map.size >= this.capacity) this.map.clear();
    this.map.set(word, run);
  }
}

export function singleRun(id: number, token: string, start: number, end: number): TokenRun {
  return { ids: [id], tokens: [token], starts: [start], ends: [end] };
}
