/// <reference lib="dom" />
/**
 * The full build's additions (TRACKER.md §3.8): declarative events from attributes, classes and
 * `<meta name="pirsch-event">` tags, outbound-link and download events, `pirschNotFound()` and
 * `pirschInit()`. One delegated capture listener per event type on `document` resolves the
 * element with `closest()`, so elements added after load work without `pirschInit()`.
 */
import type { TrackerWindow } from './core.ts';
import {
  classifyLink,
  data,
  declared,
  DOWNLOAD_EXTENSIONS,
  list,
  type EventOptions,
} from './logic.ts';

/** Install the declarative and automatic events, configured by the tag that brought them. */
export function extend(tag: Element): void {
  const w = window as Window & TrackerWindow;
  const d = document;
  const attr = data(tag);
  // A second full-build tag on the page: the first one's listeners already cover it.
  if (w.pirschInit) return;
  const extensions = list(DOWNLOAD_EXTENSIONS + ',' + (attr('download-extensions') || ''));
  // [download, outbound]: event name, or '' when switched off.
  const names = [
    attr('disable-downloads') == null && (attr('download-event-name') || 'File Download'),
    attr('disable-outbound-links') == null &&
      (attr('outbound-link-event-name') || 'Outbound Link Click'),
  ];
  const listening: Record<string, 1> = {};
  // `<meta>` rules: [selector, trigger, name, options].
  let rules: [string, string, ...ReturnType<typeof declared>][] = [];

  // An empty name rejects with a message, which is how it gets logged (§1.11).
  const send = (name: string, options: EventOptions) =>
    w.pirsch!(name, options).catch(console.error);
  const automatic = (name: string | false, meta: Record<string, string>) =>
    name && send(name, { meta, non_interactive: true });

  const handle = (e: Event) => {
    try {
      const target = e.target as Element;
      const type = e.type;
      if (type == 'click' || (type == 'auxclick' && (e as MouseEvent).button == 1)) {
        const element = target.closest(
          '[data-pirsch-event],[pirsch-event],[class*="pirsch-event="]',
        );
        if (element) send(...declared(element));
        const link = target.closest('a[href]') as HTMLAnchorElement | null;
        const kind =
          link &&
          !link.closest('[data-pirsch-ignore],[pirsch-ignore],.pirsch-ignore') &&
          classifyLink(link.href, location, extensions, link.hasAttribute('download'));
        if (kind) automatic(names[kind[0]]!, kind[1]);
      }
      rules.forEach(([selector, trigger, name, options]) => {
        if (trigger == type && (e.bubbles ? target.closest(selector) : target.matches(selector)))
          send(name, options);
      });
    } catch {
      // A bad selector or URL must not break the page's own handlers (§3.10).
    }
  };
  const listen = (type: string) => {
    if (!listening[type])
      d.addEventListener(type, handle, (listening[type] = 1) as unknown as true);
  };
  /** Re-read the `<meta>` rules; idempotent (§3.8). */
  const init = () => {
    rules = [];
    d.querySelectorAll('meta[name="pirsch-event"]').forEach((meta) => {
      const at = data(meta);
      const trigger = at('pirsch-trigger') || 'click';
      const selector = at('pirsch-selector');
      if (selector) {
        rules.push([selector, trigger, ...declared(meta)]);
        listen(trigger);
      }
    });
  };

  listen('click');
  listen('auxclick');
  init();
  // Tags parsed after a script that is neither deferred nor async.
  d.addEventListener('DOMContentLoaded', init);
  w.pirschInit = init;
  w.pirschNotFound = () =>
    automatic(attr('not-found-event-name') || '404 Page Not Found', { path: location.pathname });
}
