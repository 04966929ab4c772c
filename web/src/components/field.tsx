import type { InputHTMLAttributes } from "preact";

type InputProps = InputHTMLAttributes<HTMLInputElement> & { label: string; name: string };

/** An input with its visible label (every input has one). */
export function Field({ label, name, id, ...input }: InputProps) {
  const inputId = (id as string | undefined) ?? `field-${name}`;
  return (
    <div class="field">
      <label for={inputId}>{label}</label>
      <input id={inputId} name={name} {...input} />
    </div>
  );
}
