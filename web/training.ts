// Training a tiny model in the worker: the same config, tokenized corpus, task and Trainer as `pretext train`, on
// the page's engine; a step at a time so a 'stop' message gets in between; the checkpoint as a tar of the files a
// `pretext train` checkpoint folder holds.
import { resolveConfig, type Config } from '../src/config/index.js';
import type { Document } from '../src/corpus/document.js';
import { sentencesOfText } from '../src/corpus/index.js';
import type { Engine } from '../src/engine/engine.js';
import { saveModel } from '../src/model/index.js';
import type { Tokenizer } from '../src/tokenize/index.js';
import { prepareRun, resolveTask, tokenizeDocuments, type PreparedRun } from '../src/train/index.js';
import type { EngineInfo, TrainParams, TrainProgress } from './protocol.js';
import { tarFolder } from './tar.js';

// Small enough for a phone: 2 layers of 64, rows of 32 tokens, 8 rows a step.
const BROWSER_MODEL: Partial<Config> = {
  seqLen: 32,
  maxPositions: 64,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 2,
  ffnSize: 128,
  batchSize: 8,
  dropout: 0,
  lr: 3e-3,
  warmupRatio: 0.05,
  evalEvery: 0,
  tokenizer: 'auto',
  corpus: 'browser',
};

export interface TrainingSources {
  tokenizer(family: 'bert' | 'gpt2'): Promise<Tokenizer>;
  documents(): Promise<Document[]>;
}

/** Pasted text as documents: paragraphs (blank-line separated) of sentences. */
export function documentsOfText(text: string): Document[] {
  return text
    .split(/\n\s*\n/)
    .map((p, i) => ({ id: `pasted#${i}`, sentences: sentencesOfText(p), meta: {} }))
    .filter((d) => d.sentences.length > 0);
}

export class BrowserTraining {
  private stopped = false;
  private run_?: PreparedRun;
  private tokenizer?: Tokenizer;
  private readonly text: string;
  readonly config: Readonly<Config>;

  constructor(
    params: TrainParams,
    private readonly engine: Engine,
    private readonly info: EngineInfo,
    private readonly sources: TrainingSources,
  ) {
    this.text = params.text;
    this.config = resolveConfig({
      source: 'the page',
      values: { ...BROWSER_MODEL, objective: params.objective, steps: params.steps, seed: params.seed },
    });
  }

  stop(): void {
    this.stopped = true;
  }

  /** Train until `steps` or stop(); reports every step. */
  async run(report: (p: TrainProgress) => void): Promise<{ steps: number; stopped: boolean }> {
    const c = this.config;
    const task = resolveTask(c);
    const tokenizer = (this.tokenizer = await this.sources.tokenizer(task.choice.tokenizer as 'bert' | 'gpt2'));
    const docs = this.text.trim() ? documentsOfText(this.text) : await this.sources.documents();
    const run = (this.run_ = prepareRun(
      c,
      tokenizer.vocabInfo(),
      { train: tokenizeDocuments(docs, tokenizer, task.unit) },
      this.engine,
    ));
    while (run.trainer.step < c.steps && !this.stopped) {
      const r = run.trainer.trainStep();
      report({ kind: 'train-progress', step: r.step, steps: c.steps, loss: r.loss, engine: this.info });
      await new Promise((resolve) => setTimeout(resolve, 0)); // let a 'stop' message in
    }
    return { steps: run.trainer.step, stopped: this.stopped };
  }

  /** checkpoint-<step>/ as a tar: config.json, model.safetensors, tokenizer.json, trainer-state.json, optimizer. */
  checkpoint(): { name: string; tar: ArrayBuffer } {
    const run = this.run_;
    if (!run || !this.tokenizer) throw new Error('train a model first');
    const snap = run.trainer.snapshot();
    const { config, safetensors } = saveModel(run.model);
    const name = `checkpoint-${run.trainer.step}`;
    const tar = tarFolder(name, {
      'config.json': config,
      'model.safetensors': safetensors,
      'tokenizer.json': JSON.stringify(this.tokenizer.toJSON()),
      'trainer-state.json': `${JSON.stringify({ ...snap.state, config: this.config }, null, 2)}\n`,
      [snap.state.optimizer.file]: snap.optimizer,
    });
    return { name, tar: tar.buffer as ArrayBuffer };
  }
}
