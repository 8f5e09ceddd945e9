// Messages between the page (main.ts) and the core's Web Worker (worker.ts). Every request carries an id; the
// worker answers { id, ok, value } or { id, ok: false, error }, and streams training progress as 'train-progress'.
import type { AttentionView, ExampleView } from '../src/view/index.js';
import type { FillMaskResult, GenerateResult } from '../src/eval/index.js';
import type { ModelKind } from './model-kinds.js';

export interface ShowParams {
  objective: string;
  text: string;
  options: Record<string, unknown>;
  seed: number;
  epoch: number;
}

export interface ShownExample {
  view: ExampleView;
  attention: AttentionView[];
  /** the example's fields as `pretext transform` writes them (one JSON line) */
  json: string;
}

export interface EngineInfo {
  name: 'wasm' | 'reference';
  threads: number;
  /** why it is not the two-thread wasm engine, when it is not */
  note?: string;
}

export interface LoadedModel {
  modelType: string;
  architecture: string;
  /** what the page can do with it (model-kinds.ts); undefined: nothing yet */
  kind?: ModelKind;
  source: string;
  parameters: number;
  engine: EngineInfo;
}

export interface TrainParams {
  objective: 'mlm' | 'clm';
  /** pasted text; empty = the bundled Brown sample */
  text: string;
  steps: number;
  seed: number;
}

export type Request =
  | { kind: 'init'; base: string }
  | { kind: 'show'; params: ShowParams }
  | { kind: 'load'; files: { config: string; safetensors: ArrayBuffer; tokenizer: string }; source: string }
  | { kind: 'fill-mask'; text: string; topK: number }
  | { kind: 'generate'; prompt: string; maxNewTokens: number; temperature: number; topK: number; seed: number }
  | { kind: 'span-fill'; text: string }
  | { kind: 'replaced'; text: string }
  | { kind: 'similarity'; a: string; b: string }
  | { kind: 'train'; params: TrainParams }
  | { kind: 'stop' }
  | { kind: 'checkpoint' };

export interface Responses {
  init: EngineInfo;
  show: ShownExample[];
  load: LoadedModel;
  'fill-mask': FillMaskResult;
  generate: GenerateResult;
  'span-fill': { spans: { sentinel: string; text: string }[]; output: string };
  replaced: { token: string; score: number }[];
  similarity: { cosine: number };
  train: { steps: number; stopped: boolean };
  stop: null;
  checkpoint: { name: string; tar: ArrayBuffer };
}

export interface TrainProgress {
  kind: 'train-progress';
  step: number;
  steps: number;
  loss: number;
  engine: EngineInfo;
}
