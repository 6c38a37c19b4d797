export { readTemplate } from './read-template';
export type {
  LocalFunction,
  LocalResourceName,
  LocalStateMachine,
  LocalTemplate,
  ReadTemplateOptions,
} from './read-template';
export { type TemplateJson } from './local-names';
export { type LocalNameOptions } from './local-names';
