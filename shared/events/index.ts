export {
  catalogue,
  type EventData,
  type EventType,
  type FunctionName,
  isEventType,
  sourceOf,
  type TavolaEvent,
} from "./catalogue.ts";
export type { EventHandler, EventHandlers, HandlerContext } from "./handlers.ts";
export { enqueueEvent, type NewEvent, type PendingEvents } from "./outbox.ts";
export { holdingPublisher, type Publisher } from "./publisher.ts";
