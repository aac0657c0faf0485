/** The tracking snippet to paste, with a live "waiting for the first page view" check. */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { addDays, localDate } from '../period.ts';
import type { Domain, Figures } from '../types.ts';
import { CopyButton } from './ui.tsx';

/** The `<script>` tag of a domain (TRACKER.md). */
export const snippetFor = (domain: Domain): string =>
  `<script defer src="${location.origin}/pa.js" id="pianjs" data-code="${domain.identification_code}"></script>`;

export function SnippetBox(props: { domain: Domain }) {
  const code = snippetFor(props.domain);
  return (
    <div class="snippet">
      <p>
        Paste this into the <code>&lt;head&gt;</code> of every page of{' '}
        <strong>{props.domain.hostname}</strong>:
      </p>
      <pre tabIndex={0} aria-label="Tracking snippet">
        <code data-testid="snippet">{code}</code>
      </pre>
      <CopyButton text={code} label="Copy snippet" />
    </div>
  );
}

/** Polls the statistics until the first page view arrives. */
export function FirstHitCheck(props: { domain: Domain; onSeen?: () => void }) {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    if (seen) return;
    let live = true;
    const tz = props.domain.timezone ?? 'UTC';
    const check = async () => {
      const today = localDate(Date.now(), tz);
      try {
        const total = await get<Figures>('statistics/total', {
          id: props.domain.id,
          from: addDays(today, -1),
          to: addDays(today, 1),
        });
        if (live && total.views > 0) {
          setSeen(true);
          props.onSeen?.();
        }
      } catch {
        // Try again at the next tick.
      }
    };
    void check();
    const id = setInterval(check, 3000);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [props.domain.id, seen]);
  return (
    <p class={`first-hit ${seen ? 'seen' : ''}`} role="status" aria-live="polite">
      <span class={seen ? 'live-dot on' : 'live-dot pulse'} aria-hidden="true" />
      {seen
        ? 'Receiving data: the first page view has arrived.'
        : 'Waiting for the first page view…'}
    </p>
  );
}
