/** An error the user should read now: announced by screen readers (role="alert"), nothing when there is none. */
export function ErrorMessage({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
