/** An error for people, announced by screen readers as it appears. */
export function Alert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="alert" role="alert">
      {message}
    </p>
  );
}
