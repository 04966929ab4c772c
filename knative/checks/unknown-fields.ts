/** Where a validator found a problem: a JSON pointer into the object, as Ajv reports it. */
export interface SchemaError {
  instancePath: string;
}

/** Validates a whole object; returns its errors ([] when valid). */
export type ErrorsOf = (object: unknown) => readonly SchemaError[];

const PROBE = Symbol("probe");

type Path = readonly (string | number)[];

/** `spec.containers[0].readinessProbe`: how a problem report names a field. */
export function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function pointer(path: Path): string {
  return path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether the schema declares the field at `path`: the field is replaced by a value no JSON schema
 * type accepts (a symbol), and a declared field then fails validation at (or under) its own path, while
 * a field the schema does not know is never looked at.
 */
function declared(
  parent: Record<string, unknown>,
  key: string,
  path: Path,
  root: unknown,
  errorsOf: ErrorsOf,
): boolean {
  const value = parent[key];
  parent[key] = PROBE; // in place, put back below: a copy per field would cost more than the check
  const at = pointer(path);
  try {
    return errorsOf(root).some((e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`));
  } catch {
    return true; // the validator choked on the probe, so it read the field
  } finally {
    parent[key] = value;
  }
}

/**
 * The fields of `object` that its schema does not declare, as `kubectl apply` (strict field validation)
 * would refuse them. For validators whose schemas leave additionalProperties open (the precompiled
 * kubernetes-models ones). A field whose schema accepts any value would be reported too; none of the
 * kinds Tavola renders has one outside maps of strings.
 */
export function unknownFields(object: unknown, errorsOf: ErrorsOf): string[] {
  const root = structuredClone(object);
  const found: string[] = [];
  const walk = (path: Path, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk([...path, i], item);
      return;
    }
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      const field = [...path, key];
      if (declared(value, key, field, root, errorsOf)) walk(field, value[key]);
      else found.push(fieldName(field));
    }
  };
  walk([], root);
  return found;
}
