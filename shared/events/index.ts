export { type ApplyOutcome, applyEvent, type ConsumerDeps, toTavolaEvent } from "./apply.ts";
export {
  catalogue,
  type EventData,
  type EventType,
  type FunctionName,
  isEventType,
  sourceOf,
  type TavolaEvent,
} from "./catalogue.ts";
export { binaryHeaders, type RawCloudEvent, readCloudEvent } from "./cloudevent.ts";
export { deadLetterPrefix } from "./dead-letter-routes.ts";
export { type DeadLetterView, replayDeadLetter } from "./dead-letters.ts";
export { mountEventing } from "./eventing.ts";
export type { EventHandler, EventHandlers, HandlerContext, PingContext, PingHook } from "./handlers.ts";
export { createEventMetrics, type EventMetrics } from "./metrics.ts";
export { enqueueEvent, type NewEvent, type PendingEvents } from "./outbox.ts";
export {
  createHttpPublisher,
  type HttpPublisherOptions,
  holdingPublisher,
  type Publisher,
} from "./publisher.ts";
export { DEAD_LETTER_HEADER, type EventingOptions, OUTCOME_HEADER, PING_TYPE } from "./receiver.ts";
export {
  createSinkSender,
  defaultRetryPolicy,
  type FetchLike,
  type RetryPolicy,
  type SendEvent,
  type SendOutcome,
} from "./sender.ts";
export { type SweepOptions, type SweepReport, sweepOutbox } from "./sweep.ts";
