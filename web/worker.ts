// The playground's core: objectives, views, models and training run here, off the page's thread, on the same
// src/ code as the CLI. The engine is the wasm one with two threads when the page is cross-origin isolated
// (pretext serve), else the reference engine on one thread (a plain static host: no shared memory).
import type { Engine } from '../src/engine/engine.js';
import { createReferenceEngine } from '../src/engine/reference/index.js';
import { createWasmEngine } from '../src/engine/wasm/index.js';
import { browserPlatform } from '../src/engine/wasm/platform-browser.js';
import type { Platform } from '../src/engine/wasm/platform.js';
import type { Document } from '../src/corpus/document.js';
import { fillMask, generate } from '../src/eval/index.js';
import { loadModel, type Model } from '../src/model/index.js';
import { getObjective } from '../src/objectives/index.js';
import { loadTokenizer, type Tokenizer } from '../src/tokenize/index.js';
import { attentionViews, examplesOf, familyOf, tokenizerFileOf, viewExample, type Family } from '../src/view/index.js';
import { serializeExample } from '../cli/rows.js';
import type { EngineInfo, Request, Responses, ShowParams, ShownExample } from './protocol.js';
import { kindOf } from './model-kinds.js';
import { BrowserTraining } from './training.js';
import { replacedScores, similarity, spanFill } from './worker-models.js';

let base = '';
const tokenizers = new Map<string, Promise<Tokenizer>>();
let brownSample: Promise<Document[]> | undefined;
let engine: Promise<{ engine: Engine; info: EngineInfo }> | undefined;
let loaded: { model: Model; tokenizer: Tokenizer } | undefined;
let training: BrowserTraining | undefined;

async function fetchText(path: string): Promise<string> {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`cannot fetch ${path} (${res.status})`);
  return res.text();
}

export function builtinTokenizer(family: Family['name']): Promise<Tokenizer> {
  let t = tokenizers.get(family);
  if (!t) tokenizers.set(family, (t = fetchText(`tokenizers/${tokenizerFileOf(family)}`).then(loadTokenizer)));
  return t;
}

export function bundledDocuments(): Promise<Document[]> {
  return (brownSample ??= fetchText('brown-sample.json').then((s) => JSON.parse(s) as Document[]));
}

// The compiled kernels are static assets of the page, not files next to the module.
const assetPlatform: Platform = {
  ...browserPlatform,
  readBytes: (urls) =>
    browserPlatform.readBytes(urls.map((u) => new URL(`engine/${u.pathname.split('/').pop()}`, base))),
};

export function sharedEngine(): Promise<{ engine: Engine; info: EngineInfo }> {
  return (engine ??= startEngine());
}

async function startEngine(): Promise<{ engine: Engine; info: EngineInfo }> {
  const single = (note: string) => ({
    engine: createReferenceEngine(),
    info: { name: 'reference' as const, threads: 1, note },
  });
  if (!globalThis.crossOriginIsolated)
    return single(
      'this host sends no cross-origin isolation headers (COOP/COEP), so there is no shared memory: one thread, on the reference engine; `pretext serve` runs the wasm engine on two threads',
    );
  try {
    const e = await createWasmEngine({ threads: 2, platform: assetPlatform });
    return { engine: e, info: { name: 'wasm', threads: e.threads } };
  } catch (err) {
    return single(`the wasm engine did not start (${(err as Error).message}): one thread, on the reference engine`);
  }
}

async function show(p: ShowParams): Promise<ShownExample[]> {
  const objective = getObjective(p.objective);
  if (!objective) throw new Error(`unknown objective '${p.objective}'`);
  const tokenizer = await builtinTokenizer(familyOf(objective.id).name);
  const otherDocuments = objective.needs.documents ? await bundledDocuments() : [];
  const examples = examplesOf({
    objective,
    text: p.text,
    tokenizer,
    options: objective.resolve(p.options),
    seed: p.seed,
    epoch: p.epoch,
    otherDocuments,
  });
  return examples.map((ex) => ({
    view: viewExample(objective, ex, tokenizer),
    attention: attentionViews(objective, ex),
    json: serializeExample(ex),
  }));
}

async function load(
  files: { config: string; safetensors: ArrayBuffer; tokenizer: string },
  source: string,
): Promise<Responses['load']> {
  const { engine: e, info } = await sharedEngine();
  const tokenizer = loadTokenizer(files.tokenizer);
  const model = loadModel(files.config, new Uint8Array(files.safetensors), e);
  loaded = { model, tokenizer };
  const parameters = model.parameters().reduce((n, p) => n + p.data.length, 0);
  return {
    modelType: model.config.model_type,
    architecture: model.config.architectures[0],
    kind: kindOf(model.config),
    source,
    parameters,
    engine: info,
  };
}

function requireModel(): { model: Model; tokenizer: Tokenizer } {
  if (!loaded) throw new Error('load a trained run first');
  return loaded;
}

async function handle(req: Request): Promise<unknown> {
  switch (req.kind) {
    case 'init':
      base = req.base;
      return (await sharedEngine()).info;
    case 'show':
      return show(req.params);
    case 'load':
      return load(req.files, req.source);
    case 'fill-mask': {
      const { model, tokenizer } = requireModel();
      return fillMask(model, tokenizer, req.text, req.topK);
    }
    case 'generate': {
      const { model, tokenizer } = requireModel();
      return generate(model, tokenizer, req.prompt, req);
    }
    case 'span-fill':
      return spanFill(requireModel().model, requireModel().tokenizer, req.text);
    case 'replaced':
      return replacedScores(requireModel().model, requireModel().tokenizer, req.text);
    case 'similarity':
      return similarity(requireModel().model, requireModel().tokenizer, req.a, req.b);
    case 'train': {
      training?.stop();
      const { engine: e, info } = await sharedEngine();
      training = new BrowserTraining(req.params, e, info, { tokenizer: builtinTokenizer, documents: bundledDocuments });
      return training.run((progress) => self.postMessage(progress));
    }
    case 'stop':
      training?.stop();
      return null;
    case 'checkpoint':
      if (!training) throw new Error('train a model first');
      return training.checkpoint();
  }
}

self.onmessage = async (e: MessageEvent<{ id: number; request: Request }>) => {
  const { id, request } = e.data;
  try {
    const value = await handle(request);
    const transfer = request.kind === 'checkpoint' ? [(value as Responses['checkpoint']).tar] : [];
    self.postMessage({ id, ok: true, value }, { transfer });
  } catch (err) {
    self.postMessage({ id, ok: false, error: String((err as Error)?.message ?? err) });
  }
};
