// The per-token view of examples, shared by `pretext show`, the playground and the figures: no terminal, no DOM.
export { LEGEND_ORDER, ROLE_DESCRIPTIONS, legendOf, type Cell, type LegendEntry, type Role } from './roles.js';
export { familyOf, tokenizerFileOf, type Family } from './families.js';
export { examplesOf, inputOf, type ShowRequest } from './examples.js';
export {
  describeSource,
  maskingRoles,
  tokenText,
  viewExample,
  type ExampleView,
  type PairView,
  type ViewBlock,
} from './example-view.js';
export { attentionViews, type AttentionView } from './attention.js';
