export {
  catalogue,
  type EventData,
  type EventType,
  type FunctionName,
  isEventType,
  sourceOf,
  type TavolaEvent,
} from "./catalogue.ts";
export { type DeadLetterView, replayDeadLetter } from "./dead-letters/replay.ts";
export { deadLetterPrefix } from "./edges/dead-letter-routes.ts";
export { mountEventing } from "./edges/eventing.ts";
export { DEAD_LETTER_HEADER, type EventingOptions, OUTCOME_HEADER, PING_TYPE } from "./edges/receiver.ts";
export { createEventMetrics, type EventMetrics } from "./metrics.ts";
export { enqueueEvent, type NewEvent, type PendingEvents } from "./outbox/enqueue.ts";
export {
  createHttpPublisher,
  type HttpPublisherOptions,
  holdingPublisher,
  type Publisher,
} from "./outbox/publisher.ts";
export {
  createSinkSender,
  defaultRetryPolicy,
  type FetchLike,
  type RetryPolicy,
  type SendEvent,
  type SendOutcome,
} from "./outbox/sender.ts";
export { type SweepOptions, type SweepReport, sweepOutbox } from "./outbox/sweep.ts";
export { type ApplyOutcome, applyEvent, type ConsumerDeps, toTavolaEvent } from "./receive/apply.ts";
export { binaryHeaders, type RawCloudEvent, readCloudEvent } from "./receive/cloudevent.ts";
export type {
  EventHandler,
  EventHandlers,
  HandlerContext,
  PingContext,
  PingHook,
} from "./receive/handlers.ts";
