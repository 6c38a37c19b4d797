export { readTemplate } from './read-template';
export type {
  LocalFunction,
  LocalResourceName,
  LocalStateMachine,
  LocalTemplate,
  ReadTemplateOptions,
} from './read-template';
export { UnsupportedTemplateError } from './intrinsics';
export { partitionOf, type TemplateJson } from './local-names';
export { resolveValue, resolveString } from './intrinsics';
export { LocalNames, type LocalNameOptions } from './local-names';
