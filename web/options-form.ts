// An objective's options as form controls, generated from its own OptionSpec list (so every option and compat mode
// appears, with no second list): boolean -> checkbox, choices -> select, number / int -> number input.
import type { OptionSpec } from '../src/objectives/objective.js';

/** Replace the fieldset's controls with one per option; `values` are the URL's strings. */
export function buildOptions(
  fieldset: HTMLFieldSetElement,
  specs: readonly OptionSpec[],
  values: Record<string, string>,
  onChange: () => void,
): void {
  fieldset.querySelectorAll('.option').forEach((n) => n.remove());
  for (const spec of specs) {
    const wrap = document.createElement('div');
    wrap.className = 'option';
    const id = `opt-${spec.key}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = spec.key;
    const help = document.createElement('small');
    help.id = `${id}-help`;
    help.textContent = spec.help;
    const control = controlFor(spec, values[spec.key]);
    control.id = id;
    control.dataset.key = spec.key;
    control.setAttribute('aria-describedby', help.id);
    control.addEventListener(
      control instanceof HTMLSelectElement || (control as HTMLInputElement).type === 'checkbox' ? 'change' : 'input',
      onChange,
    );
    if ((control as HTMLInputElement).type === 'checkbox') wrap.append(control, label, help);
    else wrap.append(label, control, help);
    fieldset.append(wrap);
  }
}

function controlFor(spec: OptionSpec, value: string | undefined): HTMLInputElement | HTMLSelectElement {
  if (spec.choices) {
    const select = document.createElement('select');
    for (const c of spec.choices) select.add(new Option(c, c));
    select.value = value ?? String(spec.default ?? spec.choices[0]);
    return select;
  }
  const input = document.createElement('input');
  if (spec.type === 'boolean') {
    input.type = 'checkbox';
    input.checked = value !== undefined ? value === 'true' : spec.default === true;
    return input;
  }
  input.type = spec.type === 'string' ? 'text' : 'number';
  if (spec.type === 'int') input.step = '1';
  if (spec.type === 'number') input.step = 'any';
  input.placeholder = spec.default === undefined ? 'unset' : String(spec.default);
  input.value = value ?? (spec.default === undefined ? '' : String(spec.default));
  return input;
}

/** The options that differ from their defaults: typed values for resolve(), strings for the URL. */
export function readOptions(
  fieldset: HTMLFieldSetElement,
  specs: readonly OptionSpec[],
): { values: Record<string, unknown>; url: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const url: Record<string, string> = {};
  for (const spec of specs) {
    const control = fieldset.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-key="${spec.key}"]`);
    if (!control) continue;
    const raw =
      control instanceof HTMLInputElement && control.type === 'checkbox'
        ? String(control.checked)
        : control.value.trim();
    if (raw === '' || raw === String(spec.default)) continue;
    values[spec.key] = spec.type === 'boolean' ? raw === 'true' : spec.type === 'string' ? raw : Number(raw);
    url[spec.key] = raw;
  }
  return { values, url };
}
