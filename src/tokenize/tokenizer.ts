// A tokenizer built from a HF tokenizer.json: added tokens -> normalizer -> pre-tokenizer -> model ->
// post-processor, with offsets and word ids tracked throughout; decode runs the decoder chain.
import { PretextError } from '../errors.js';
import type { VocabInfo } from './vocab.js';
import { AddedVocabulary, addedTokenFromJSON } from './added-vocabulary.js';
import { type Decoder, decoderFromJSON } from './decoders.js';
import { type Json, asObject, cloneJson } from './json-fields.js';
import { type Model, modelFromJSON } from './model.js';
import { type Normalizer, normalizerFromJSON } from './normalizers.js';
import { type PostProcessor, type RawEncoding, emptyEncoding, postProcessorFromJSON } from './post-processors.js';
import { type PreTokenizer, preTokenizerFromJSON } from './pre-tokenizers.js';
import { detectVocabInfo } from './vocab-info.js';

/** One encoded input. Offsets are [start, end) UTF-16 indices into the input they came from
 * (text.slice(start, end)); special tokens added by the post-processor have [0, 0) and word id -1. */
export interface Encoding {
  ids: Int32Array;
  tokens: string[];
  offsets: [number, number][];
  /** Index of the pre-tokenized word each token belongs to, per sequence; -1 for added special tokens. */
  wordIds: Int32Array;
  typeIds: Int32Array;
  /** 1 where the post-processor added a special token. */
  specialTokensMask: Uint8Array;
}

export interface EncodeOptions {
  /** Add the post-processor's special tokens ([CLS] ... [SEP], ...); default true. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Drop special added tokens; default false (as HF). */
  skipSpecialTokens?: boolean;
}

export interface Tokenizer {
  /** Largest id + 1 over the model and the added tokens. */
  readonly vocabSize: number;
  encode(text: string, pair?: string, opts?: EncodeOptions): Encoding;
  /** encode(text, undefined, opts).ids without building tokens, offsets and word ids (data preparation's path). */
  encodeIds(text: string, opts?: EncodeOptions): Int32Array;
  decode(ids: ArrayLike<number>, opts?: DecodeOptions): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  vocabInfo(): VocabInfo;
  /** The HF tokenizer.json structure. */
  toJSON(): object;
}

/** Load a HF tokenizer.json (text or parsed). Throws a PretextError naming the unsupported or invalid part. */
export function loadTokenizer(json: string | object): Tokenizer {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (e) {
      throw new PretextError(`tokenizer.json is not valid JSON (${(e as Error).message})`);
    }
  }
  return new JsonTokenizer(asObject(data, 'tokenizer.json'));
}

class JsonTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly json: Json;
  private readonly model: Model;
  private readonly normalizer: Normalizer | null;
  private readonly preTokenizer: PreTokenizer | null;
  private readonly postProcessor: PostProcessor | null;
  private readonly decoder: Decoder | null;
  private readonly added: AddedVocabulary;
  private info: VocabInfo | null = null;

  constructor(json: Json) {
    if (json.model === undefined || json.model === null) throw new PretextError('tokenizer.json has no "model"');
    this.json = cloneJson(json);
    this.model = modelFromJSON(json.model);
    this.normalizer = json.normalizer ? normalizerFromJSON(json.normalizer) : null;
    this.preTokenizer = json.pre_tokenizer ? preTokenizerFromJSON(json.pre_tokenizer) : null;
    this.postProcessor = json.post_processor ? postProcessorFromJSON(json.post_processor) : null;
    this.decoder = json.decoder ? decoderFromJSON(json.decoder) : null;
    const addedJson = json.added_tokens ?? [];
    if (!Array.isArray(addedJson)) throw new PretextError('tokenizer.json "added_tokens" must be an array');
    this.added = new AddedVocabulary(addedJson.map(addedTokenFromJSON), this.normalizer);
    let max = this.model.maxId;
    for (const t of this.added.tokens) max = Math.max(max, t.id);
    if (max < 0) throw new PretextError('tokenizer.json has an empty vocabulary');
    this.vocabSize = max + 1;
  }

  encode(text: string, pair?: string, opts: EncodeOptions = {}): Encoding {
    const encs = [this.encodeSequence(text, 0)];
    if (pair !== undefined) encs.push(this.encodeSequence(pair, 1));
    const parts = this.postProcessor ? this.postProcessor.process(encs, opts.addSpecialTokens ?? true) : encs;
    return finish(parts);
  }

  encodeIds(text: string, opts: EncodeOptions = {}): Int32Array {
    if (this.postProcessor && (opts.addSpecialTokens ?? true)) return this.encode(text, undefined, opts).ids;
    if (typeof text !== 'string') throw new PretextError(`encode expects a string, got ${typeof text}`);
    let splits = this.added.extractAndNormalize(text);
    if (this.preTokenizer) splits = this.preTokenizer.preTokenize(splits);
    let n = 0;
    const runs: { ids: number[] }[] = new Array(splits.length);
    for (let w = 0; w < splits.length; w++) {
      const { ns, run } = splits[w];
      runs[w] = run ?? this.model.tokenize(ns.text);
      n += runs[w].ids.length;
    }
    const ids = new Int32Array(n);
    let at = 0;
    for (const r of runs) for (let k = 0; k < r.ids.length; k++) ids[at++] = r.ids[k];
    return ids;
  }

  /** Added tokens, normalization, pre-tokenization and the model over one input. */
  private encodeSequence(text: string, typeId: number): RawEncoding {
    if (typeof text !== 'string') throw new PretextError(`encode expects a string, got ${typeof text}`);
    let splits = this.added.extractAndNormalize(text);
    if (this.preTokenizer) splits = this.preTokenizer.preTokenize(splits);
    const e = emptyEncoding(text);
    for (let w = 0; w < splits.length; w++) {
      const { ns, run: given } = splits[w];
      const run = given ?? this.model.tokenize(ns.text);
      for (let k = 0; k < run.ids.length; k++) {
        const [s, t] = ns.originalRange(run.starts[k], run.ends[k]);
        e.ids.push(run.ids[k]);
        e.tokens.push(run.tokens[k]);
        e.starts.push(s);
        e.ends.push(t);
        e.wordIds.push(w);
        e.typeIds.push(typeId);
        e.special.push(0);
      }
    }
    return e;
  }

  decode(ids: ArrayLike<number>, opts: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const t = this.idToToken(ids[i]);
      if (t === undefined) continue;
      if (opts.skipSpecialTokens && this.added.isSpecial(t)) continue;
      tokens.push(t);
    }
    return this.decoder ? this.decoder(tokens).join('') : tokens.join(' ');
  }

  tokenToId(token: string): number | undefined {
    return this.added.byContent.get(token)?.id ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.added.byId.get(id)?.content ?? this.model.idToToken(id);
  }

  vocabInfo(): VocabInfo {
    this.info ??= detectVocabInfo({
      vocabSize: this.vocabSize,
      tokenToId: (t) => this.tokenToId(t),
      unkToken: this.model.unkToken,
      cls: this.postProcessor?.cls,
      sep: this.postProcessor?.sep,
      specialAdded: this.added.tokens.filter((t) => t.special).map((t) => t.id),
    });
    return { ...this.info, specialIds: [...this.info.specialIds] };
  }

  toJSON(): object {
    const j = cloneJson(this.json);
    return {
      version: j.version ?? '1.0',
      truncation: j.truncation ?? null,
      padding: j.padding ?? null,
      added_tokens: j.added_tokens ?? [],
      normalizer: j.normalizer ?? null,
      pre_tokenizer: j.pre_tokenizer ?? null,
      post_processor: j.post_processor ?? null,
      decoder: j.decoder ?? null,
      model: j.model,
    };
  }
}

/** Concatenate the post-processed parts into the public Encoding. */
function finish(parts: RawEncoding[]): Encoding {
  let n = 0;
  for (const p of parts) n += p.ids.length;
  const ids = new Int32Array(n);
  const wordIds = new Int32Array(n);
  const typeIds = new Int32Array(n);
  const specialTokensMask = new Uint8Array(n);
  const tokens: string[] = new Array(n);
  const offsets: [number, number][] = new Array(n);
  let i = 0;
  for (const p of parts) {
    for (let k = 0; k < p.ids.length; k++, i++) {
      ids[i] = p.ids[k];
      tokens[i] = p.tokens[k];
      offsets[i] = [p.starts[k], p.ends[k]];
      wordIds[i] = p.wordIds[k];
      typeIds[i] = p.typeIds[k];
      specialTokensMask[i] = p.special[k];
    }
  }
  return { ids, tokens, offsets, wordIds, typeIds, specialTokensMask };
}
