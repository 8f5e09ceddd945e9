// Training in the page: start / stop, the loss per step as an SVG line, and the checkpoint as a .tar download.
import type { CoreClient } from './client.js';
import type { TrainProgress } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const SVG = 'http://www.w3.org/2000/svg';

function drawLoss(svg: SVGSVGElement, losses: number[], steps: number): void {
  const [W, H, pad] = [400, 120, 4];
  const max = Math.max(...losses);
  const min = Math.min(...losses);
  const x = (i: number) => pad + ((W - 2 * pad) * i) / Math.max(1, steps - 1);
  const y = (v: number) => pad + (H - 2 * pad) * (max === min ? 0.5 : (max - v) / (max - min));
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', losses.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
  line.setAttribute('class', 'loss-line');
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', String(W - pad));
  label.setAttribute('y', '14');
  label.setAttribute('text-anchor', 'end');
  label.textContent = `loss ${losses[losses.length - 1].toFixed(3)} (from ${losses[0].toFixed(3)})`;
  svg.replaceChildren(line, label);
}

export function setupTrainPanel(core: CoreClient): void {
  const start = $<HTMLButtonElement>('train-start');
  const stop = $<HTMLButtonElement>('train-stop');
  const download = $<HTMLButtonElement>('train-download');
  const status = $('train-status');
  const svg = document.getElementById('loss-chart') as unknown as SVGSVGElement;
  let losses: number[] = [];
  core.onProgress = (p: TrainProgress) => {
    losses.push(p.loss);
    status.textContent = `step ${p.step} of ${p.steps}: loss ${p.loss.toFixed(4)} (${p.engine.name} engine, ${p.engine.threads} thread${p.engine.threads > 1 ? 's' : ''})`;
    status.dataset.step = String(p.step);
    svg.dataset.losses = JSON.stringify(losses);
    drawLoss(svg, losses, p.steps);
  };
  start.addEventListener('click', async () => {
    losses = [];
    start.disabled = true;
    stop.disabled = false;
    download.disabled = true;
    status.textContent = 'tokenizing…';
    delete status.dataset.step;
    status.dataset.state = 'training';
    try {
      const params = {
        objective: $<HTMLSelectElement>('train-objective').value as 'mlm' | 'clm',
        text: $<HTMLTextAreaElement>('train-text').value,
        steps: Number($<HTMLInputElement>('train-steps').value) || 1,
        seed: Number($<HTMLInputElement>('train-seed').value) || 0,
      };
      const r = await core.request({ kind: 'train', params });
      status.textContent += r.stopped ? ` — stopped at step ${r.steps}` : ' — done';
      download.disabled = false;
    } catch (e) {
      status.textContent = `training failed: ${(e as Error).message}`;
    }
    status.dataset.state = 'done';
    start.disabled = false;
    stop.disabled = true;
  });
  stop.addEventListener('click', () => void core.request({ kind: 'stop' }));
  download.addEventListener('click', async () => {
    const { name, tar } = await core.request({ kind: 'checkpoint' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([tar], { type: 'application/x-tar' }));
    a.download = `${name}.tar`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
}
