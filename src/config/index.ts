// Public API of src/config: the knobs, their schema, presets, and resolution to a frozen Config.
export { defaultConfig, type Config, type EngineName, type ScheduleName, type TrainObjectiveId } from './config.js';
export { schema, type Knob, type KnobKind } from './schema.js';
export { presets, presetNames } from './presets/index.js';
export { presetLayer, presetLayers, resolveConfig, type ConfigLayer } from './resolve.js';
