export { createLocalEventBus, LocalEventBus } from './local-event-bus';
export type {
  BusEvent,
  DeliverToBus,
  PutEventsCaller,
  Delivery,
  LocalEventBusOptions,
  PutEventsOutcome,
  RecordedEvent,
  StartExecution,
} from './local-event-bus';
export { startEventBridgeServer } from './event-bridge-server';
export type { EventBridgeServer, EventBridgeServerOptions } from './event-bridge-server';
export type { TargetInputSettings, TransformContext } from './input-transformer';
export { rulesFromTemplate } from './rules-from-template';
export type { LocalRule, LocalRuleTarget, RuleResolution, TemplateLike } from './rules-from-template';
