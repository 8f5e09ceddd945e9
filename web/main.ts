// The playground page: the objective view (text, objective, options, seed -> src/view, computed in the worker),
// a trained run (run-panel.ts) and training in the page (train-panel.ts). The URL fragment holds the view's state.
import { objectives, getObjective } from '../src/objectives/index.js';
import { CoreClient } from './client.js';
import { buildOptions, readOptions } from './options-form.js';
import { renderExample } from './render-view.js';
import { setupRunPanel } from './run-panel.js';
import { setupTrainPanel } from './train-panel.js';
import { readState, writeState, type PageState } from './url-state.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const core = new CoreClient();
const text = $<HTMLTextAreaElement>('text');
const objectiveSelect = $<HTMLSelectElement>('objective');
const seed = $<HTMLInputElement>('seed');
const epoch = $<HTMLInputElement>('epoch');
const optionsBox = $<HTMLFieldSetElement>('options');
const output = $<HTMLDivElement>('output');
const showError = $<HTMLParagraphElement>('show-error');

for (const o of objectives) objectiveSelect.add(new Option(`${o.id} — ${o.title}`, o.id));

function currentObjective() {
  return getObjective(objectiveSelect.value) ?? objectives[0];
}

function applyState(s: PageState): void {
  objectiveSelect.value = getObjective(s.objective) ? s.objective : 'mlm';
  seed.value = String(s.seed);
  epoch.value = String(s.epoch);
  text.value = s.text;
  const o = currentObjective();
  $('objective-summary').textContent = `${o.title}: ${o.summary}`;
  buildOptions(optionsBox, o.options, s.options, schedule);
}

let latest = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(update, 80);
}

/** Read the controls, put them in the URL, ask the worker for the views, draw the newest answer only. */
async function update(): Promise<void> {
  const o = currentObjective();
  const { values, url } = readOptions(optionsBox, o.options);
  const state: PageState = {
    objective: o.id,
    seed: Number(seed.value) || 0,
    epoch: Number(epoch.value) || 0,
    text: text.value,
    options: url,
  };
  history.replaceState(null, '', writeState(state));
  const ticket = ++latest;
  document.body.dataset.showState = 'busy';
  try {
    const shown = await core.request({
      kind: 'show',
      params: { objective: o.id, text: state.text, options: values, seed: state.seed, epoch: state.epoch },
    });
    if (ticket !== latest) return;
    output.replaceChildren(...shown.map((s, i) => renderExample(s, i, shown.length)));
    showError.hidden = true;
  } catch (e) {
    if (ticket !== latest) return;
    output.replaceChildren();
    showError.textContent = (e as Error).message;
    showError.hidden = false;
  }
  document.body.dataset.showState = `done-${ticket}`;
}

objectiveSelect.addEventListener('change', () => {
  applyState({
    ...readState(location.hash),
    objective: objectiveSelect.value,
    seed: Number(seed.value) || 0,
    epoch: Number(epoch.value) || 0,
    text: text.value,
    options: {},
  });
  schedule();
});
for (const input of [text, seed, epoch]) input.addEventListener('input', schedule);
$('resample').addEventListener('click', () => {
  seed.value = String((Number(seed.value) || 0) + 1);
  schedule();
});

async function start(): Promise<void> {
  applyState(readState(location.hash));
  const status = $('engine-status');
  try {
    const info = await core.request({ kind: 'init', base: new URL('./', location.href).href });
    status.textContent = info.note
      ? `engine: ${info.name}, ${info.threads} thread — ${info.note}`
      : `engine: ${info.name}, ${info.threads} threads (cross-origin isolated)`;
    status.dataset.engine = info.name;
    status.dataset.threads = String(info.threads);
  } catch (e) {
    status.textContent = `the core did not start: ${(e as Error).message}`;
  }
  await update();
  setupRunPanel(core);
  setupTrainPanel(core);
  document.body.dataset.ready = 'true';
}

void start();
