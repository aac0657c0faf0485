/** Small shared building blocks: dialogs, fields, buttons, avatars, notices. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { hue } from '../format.ts';

/** A modal dialog: focus moves in, stays in (Tab wraps) and returns on close; Esc closes. */
export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const box = ref.current!;
    const focusable = () =>
      [
        ...box.querySelectorAll<HTMLElement>(
          'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex="0"]',
        ),
      ].filter((el) => el.offsetParent !== null);
    (focusable()[1] ?? focusable()[0] ?? box).focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        props.onClose();
      } else if (event.key === 'Tab') {
        const items = focusable();
        if (items.length === 0) return;
        const first = items[0]!;
        const last = items[items.length - 1]!;
        if (event.shiftKey && document.activeElement === first) {
          last.focus();
          event.preventDefault();
        } else if (!event.shiftKey && document.activeElement === last) {
          first.focus();
          event.preventDefault();
        }
      }
    };
    box.addEventListener('keydown', onKey);
    return () => {
      box.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, []);
  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        ref={ref}
        class={`modal${props.wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        tabIndex={-1}
      >
        <div class="modal-head">
          <h2>{props.title}</h2>
          <button class="icon-button" aria-label="Close" onClick={props.onClose}>
            ✕
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}

/** A labelled input. */
export function Field(
  props: { label: string; error?: string | undefined; hint?: ComponentChildren } & Omit<
    JSX.InputHTMLAttributes<HTMLInputElement>,
    'label'
  >,
) {
  const { label, error, hint, ...input } = props;
  const id = useRef(`f${Math.random().toString(36).slice(2, 8)}`).current;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} {...input} />
      {hint && <div class="hint">{hint}</div>}
      {error && <div class="field-error">{error}</div>}
    </div>
  );
}

/** A switch with a label. */
export function Toggle(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  hint?: string;
}) {
  return (
    <label class="toggle">
      <input
        type="checkbox"
        role="switch"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
      />
      <span class="track" aria-hidden="true" />
      <span>
        {props.label}
        {props.hint && <span class="hint block">{props.hint}</span>}
      </span>
    </label>
  );
}

/** Copies text to the clipboard and says so. */
export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
    } catch {
      // Without clipboard permission, select-and-copy by hand still works.
    }
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return (
    <button type="button" class="button small" onClick={copy}>
      {done ? 'Copied' : (props.label ?? 'Copy')}
    </button>
  );
}

/** An error notice for a failed call. */
export function ErrorNote(props: { error: unknown }) {
  if (!props.error) return null;
  return (
    <p class="error-note" role="alert">
      {errorText(props.error)}
    </p>
  );
}

/** A whole page while its data loads (a skeleton) or after loading failed (the error). */
export function PendingPage(props: { error: unknown }) {
  return <main class="page">{props.error ? <ErrorNote error={props.error} /> : <Skeleton />}</main>;
}

/** A letter tile standing in for an icon (no third-party requests). */
export function Avatar(props: { label: string; size?: number }) {
  const letter = (props.label.replace(/^(https?:\/\/)?(www\.)?/, '')[0] ?? '?').toUpperCase();
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={{ '--h': String(hue(props.label)), width: props.size, height: props.size }}
    >
      {letter}
    </span>
  );
}

/** Run an async action with a busy flag and an error. */
export function useAction(): [
  busy: boolean,
  error: unknown,
  run: (action: () => Promise<void>) => Promise<boolean>,
  clear: () => void,
] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [busy, error, run, () => setError(undefined)];
}

/** A placeholder while data loads. */
export const Skeleton = (props: { lines?: number }) => (
  <div class="skeleton" aria-busy="true" aria-label="Loading">
    {Array.from({ length: props.lines ?? 4 }, (_, i) => (
      <div key={i} class="skeleton-line" />
    ))}
  </div>
);
