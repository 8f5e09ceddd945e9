// A trained run in the page: the three files of a checkpoint (picked, or the server's --run under run/), loaded in
// the worker; then the panel of the model's kind (config.json model_type): fill-mask for bert, generate for gpt2.
import type { CoreClient } from './client.js';
import type { LoadedModel } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const NEEDED = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

/** The checkpoint's files among those picked; from a run folder, its newest checkpoint-<step>/. */
function checkpointFiles(files: File[]): Map<string, File> {
  const step = (f: File) => Number(/checkpoint-(\d+)\//.exec(f.webkitRelativePath)?.[1] ?? -1);
  const newest = Math.max(...files.map(step));
  const out = new Map<string, File>();
  for (const f of files)
    if (NEEDED.includes(f.name as (typeof NEEDED)[number]) && step(f) === newest) out.set(f.name, f);
  const missing = NEEDED.filter((n) => !out.has(n));
  if (missing.length) throw new Error(`the checkpoint needs ${NEEDED.join(', ')}; missing ${missing.join(', ')}`);
  return out;
}

function showModel(m: LoadedModel): void {
  $('model-status').textContent =
    `loaded ${m.source}: ${m.modelType}, ${m.parameters.toLocaleString('en')} parameters, on the ${m.engine.name} engine (${m.engine.threads} thread${m.engine.threads > 1 ? 's' : ''})`;
  $('model-status').dataset.modelType = m.modelType;
  $('model-status').dataset.kind = m.kind ?? 'none';
  document.querySelectorAll<HTMLElement>('.model-kind').forEach((e) => (e.hidden = true));
  if (m.kind) $(`kind-${m.kind}`).hidden = false;
  else {
    const other = $('kind-other');
    other.textContent = `This page has no panel for a ${m.modelType} ${m.architecture} (an ELECTRA generator is trained with its discriminator: load the discriminator).`;
    other.hidden = false;
  }
}

export function setupRunPanel(core: CoreClient): void {
  const error = $('model-error');
  const fail = (e: unknown) => {
    error.textContent = (e as Error).message;
    error.hidden = false;
  };
  const load = async (files: { config: string; safetensors: ArrayBuffer; tokenizer: string }, source: string) => {
    error.hidden = true;
    $('model-status').textContent = `loading ${source}…`;
    showModel(await core.request({ kind: 'load', files, source }, [files.safetensors]));
  };
  const fromPicker = async (input: HTMLInputElement) => {
    const files = checkpointFiles([...(input.files ?? [])]);
    const [config, safetensors, tokenizer] = await Promise.all([
      files.get('config.json')!.text(),
      files.get('model.safetensors')!.arrayBuffer(),
      files.get('tokenizer.json')!.text(),
    ]);
    await load(
      { config, safetensors, tokenizer },
      files.get('config.json')!.webkitRelativePath.replace(/\/config\.json$/, '') || 'the picked files',
    );
  };
  for (const id of ['run-files', 'run-folder'])
    $<HTMLInputElement>(id).addEventListener('change', (e) => fromPicker(e.target as HTMLInputElement).catch(fail));

  void fetch('run.json')
    .then((r) => r.json())
    .then((run: { available: boolean; name?: string }) => {
      if (!run.available) return;
      const button = $<HTMLButtonElement>('server-run');
      button.textContent = `Load the server's run (${run.name})`;
      button.hidden = false;
      button.addEventListener('click', async () => {
        try {
          const get = (f: string) =>
            fetch(`run/${f}`).then((r) => (r.ok ? r : Promise.reject(new Error(`run/${f}: ${r.status}`))));
          const [config, safetensors, tokenizer] = await Promise.all([
            get('config.json').then((r) => r.text()),
            get('model.safetensors').then((r) => r.arrayBuffer()),
            get('tokenizer.json').then((r) => r.text()),
          ]);
          await load({ config, safetensors, tokenizer }, run.name ?? 'the server run');
        } catch (e) {
          fail(e);
        }
      });
    })
    .catch(() => {}); // no run.json: no server run

  $('fill').addEventListener('click', async () => {
    error.hidden = true;
    try {
      const r = await core.request({
        kind: 'fill-mask',
        text: $<HTMLInputElement>('fill-text').value,
        topK: Number($<HTMLInputElement>('fill-k').value) || 5,
      });
      const out = $('fill-output');
      out.replaceChildren(
        ...r.predictions.map((p) => {
          const t = document.createElement('table');
          t.className = 'topk';
          t.createCaption().textContent = `[MASK] at position ${p.position}`;
          for (const c of p.top) {
            const tr = t.insertRow();
            tr.dataset.token = c.token;
            tr.dataset.prob = String(c.prob);
            tr.insertCell().textContent = c.token;
            const bar = tr.insertCell();
            const meter = document.createElement('meter');
            meter.value = c.prob;
            bar.append(meter, ` ${c.prob.toFixed(4)}`);
          }
          return t;
        }),
      );
    } catch (e) {
      fail(e);
    }
  });
  $('span-fill').addEventListener('click', async () => {
    error.hidden = true;
    try {
      const r = await core.request({ kind: 'span-fill', text: $<HTMLInputElement>('span-text').value });
      $('span-output').replaceChildren(
        ...r.spans.map((s) =>
          Object.assign(document.createElement('p'), { textContent: `${s.sentinel} → ${s.text || '(empty)'}` }),
        ),
      );
      $('span-output').dataset.output = r.output;
    } catch (e) {
      fail(e);
    }
  });
  $('rtd').addEventListener('click', async () => {
    error.hidden = true;
    try {
      const r = await core.request({ kind: 'replaced', text: $<HTMLInputElement>('rtd-text').value });
      $('rtd-output').replaceChildren(
        ...r.map((t) => {
          const s = document.createElement('span');
          s.className = 'tok score';
          s.textContent = t.token;
          s.title = `P(replaced) ${t.score.toFixed(3)}`;
          s.dataset.score = String(t.score);
          s.style.setProperty('--score', t.score.toFixed(3));
          return s;
        }),
      );
    } catch (e) {
      fail(e);
    }
  });
  $('similarity').addEventListener('click', async () => {
    error.hidden = true;
    try {
      const r = await core.request({
        kind: 'similarity',
        a: $<HTMLInputElement>('sim-a').value,
        b: $<HTMLInputElement>('sim-b').value,
      });
      $('sim-output').textContent = `cosine similarity ${r.cosine.toFixed(4)}`;
      $('sim-output').dataset.cosine = String(r.cosine);
    } catch (e) {
      fail(e);
    }
  });
  $('generate').addEventListener('click', async () => {
    error.hidden = true;
    const n = (id: string) => Number($<HTMLInputElement>(id).value);
    try {
      const r = await core.request({
        kind: 'generate',
        prompt: $<HTMLInputElement>('gen-prompt').value,
        maxNewTokens: n('gen-n') || 20,
        temperature: n('gen-t'),
        topK: n('gen-k'),
        seed: n('gen-seed'),
      });
      $('gen-output').textContent = r.text;
    } catch (e) {
      fail(e);
    }
  });
}
