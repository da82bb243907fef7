/** A failure said at once to a screen reader (role=alert), in red; nothing when there is none. */
export function AlertText({ message, className = "" }: { message: string | null | undefined; className?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className={`text-red-800 ${className}`.trim()}>
      {message}
    </p>
  );
}
