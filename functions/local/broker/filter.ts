import type { FilterExpression, TriggerObject } from "./manifests.ts";

/**
 * Whether a Trigger lets an event through, as Knative decides it: when `filters` (the newer dialect) is
 * set, every expression in it must match and `filter` is ignored; otherwise every attribute of
 * `filter.attributes` must equal the event's (an empty value matches any), and no filter lets all pass.
 */
export function triggerMatches(trigger: TriggerObject, attributes: Record<string, string>): boolean {
  const { filters, filter } = trigger.spec;
  if (filters && filters.length > 0) return filters.every((f) => expressionMatches(f, attributes));
  return Object.entries(filter?.attributes ?? {}).every(
    ([name, value]) => value === "" || attributes[name] === value,
  );
}

function expressionMatches(expression: FilterExpression, attributes: Record<string, string>): boolean {
  const each = (map: Record<string, string>, test: (actual: string, wanted: string) => boolean) =>
    Object.entries(map).every(([name, wanted]) => {
      const actual = attributes[name];
      return actual !== undefined && test(actual, wanted);
    });
  if ("exact" in expression) return each(expression.exact, (a, w) => a === w);
  if ("prefix" in expression) return each(expression.prefix, (a, w) => a.startsWith(w));
  if ("suffix" in expression) return each(expression.suffix, (a, w) => a.endsWith(w));
  if ("all" in expression) return expression.all.every((e) => expressionMatches(e, attributes));
  if ("any" in expression) return expression.any.some((e) => expressionMatches(e, attributes));
  return !expressionMatches(expression.not, attributes);
}
