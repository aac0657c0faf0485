/// <reference lib="dom" />
/**
 * The tracking script (TRACKER.md §3): page views, SPA hooks, `pirsch()` events, keep-alive and
 * the Pirsch globals. Code under `FULL` is only in the full build (esbuild replaces the constant
 * and drops the dead branches); extended.ts adds the declarative and automatic events to it.
 *
 * Every byte is downloaded by every visitor and the core build must stay under 1.5 KB gzip, so
 * the code favours locals over objects and one generic path over special cases. What the core
 * build leaves to the full build is listed in README.md ("Tracking snippet").
 */
import { configure, type Configured, type Target } from './configure.ts';
import {
  data,
  endpointBase,
  isLocal,
  pageUrl,
  rewrite,
  tracked,
  type EventOptions,
} from './logic.ts';

/** True in the full build, false in the core build (esbuild `define`). */
declare const FULL: boolean;

type Timer = ReturnType<typeof setTimeout>;

/** `pirsch()`, possibly the page's queueing stub with its early calls in `q` (§3.7). */
export type Track = ((name: string, options?: EventOptions) => Promise<unknown>) & {
  q?: ArrayLike<unknown>[];
};

/** The globals the script reads and defines (§3.10). */
export interface TrackerWindow {
  pirsch?: Track;
  pirschClearSession?: () => void;
  pirschPageView?: (options?: { url?: string; title?: string }) => void;
  pirschInit?: () => void;
  pirschNotFound?: () => void;
  /** Adds a further script tag's role to the running instance (§3.3 rule 3). */
  __spoor?: (tag: Element) => void;
}

/**
 * Start the script for the tag that loaded it, or add the tag's role to the instance already
 * running. Returns the tag (null if none was found).
 */
export function start(): Element | null {
  const w = window as Window & TrackerWindow;
  const d = document;
  const loc = location;
  const nav = navigator;
  const encode = encodeURIComponent;
  const ids = ['pirschjs', 'pirscheventsjs', 'pirschsessionsjs'];
  // Without `currentScript` (some loaders): the first tag with a Pirsch id, in document order.
  const tag = d.currentScript || d.querySelector('#pianjs,#pirschextendedjs,#' + ids.join(',#'));
  if (!tag) {
    console.error('Spoor: no tag');
  } else if (w.__spoor) {
    w.__spoor(tag);
  } else {
    // Configuration comes from the first tag; later tags only add their role (§3.3).
    const attr = data(tag);
    const dev = attr('dev');
    // Local pages without `data-dev` only get the stub (§1.3), and so do browsers without
    // beacons (the full build checks; every browser of the core build's floor has them).
    const dead = (FULL && !nav.sendBeacon) || (dev == null && isLocal(loc));
    const code = attr('code') || 'not-set';
    const [noQuery, noReferrer, noResolution] = [
      'disable-query',
      'disable-referrer',
      'disable-resolution',
    ].map((name) => attr(name) != null);
    const width = noResolution ? '' : screen.width;
    const height = noResolution ? '' : screen.height;
    let extra: Configured;
    if (FULL) extra = configure(attr, tag, code);
    const targets = FULL ? extra!.r : [[code] as unknown as Target];

    const endpoints: string[] = [];
    const noop = () => {};
    let pageViews: unknown, events: unknown, sessions: ReturnType<typeof setInterval> | undefined;
    let last: string | undefined;
    let referrerSent: unknown;
    let timer: Timer | void;
    let open: (value?: unknown) => void;
    // Events wait for the response to the page view before them, so the server sees a page
    // before its events whatever order the requests arrive in.
    let gate: Promise<unknown> = Promise.resolve();

    /** `[code, url, title, referrer]` per target for the current page; none when suppressed. */
    const requests = (href: string, title: string) => {
      try {
        if (localStorage.getItem('disable_pirsch')) return [];
      } catch {
        // Storage throws in sandboxed frames: there is no opt-out flag to read then.
      }
      return (dead || !tracked(attr('include'), attr('exclude'), loc.pathname) ? [] : targets).map(
        ([own, host, pathPrefix, pathSuffix, titlePrefix, titleSuffix]) => [
          own,
          FULL
            ? pageUrl(href, loc.hostname, host, pathPrefix, pathSuffix, extra.c)
            : (noQuery ? href.split('?')[0]! : href).slice(0, 1800),
          FULL ? titlePrefix + title + titleSuffix : title,
          // The referrer only until the first page view: later SPA views must not re-attribute.
          noReferrer || referrerSent
            ? ''
            : FULL
              ? rewrite(d.referrer, loc.hostname, host)
              : d.referrer,
        ],
      );
    };
    const query = (endpoint: string, own: string, url: string) =>
      endpoint + '?nc=' + Date.now() + '&code=' + own + '&url=' + encode(url);
    const send = (url: string, body?: string) =>
      fetch(url, {
        method: body && 'POST',
        body,
        keepalive: true,
        credentials: 'omit',
        mode: 'no-cors',
      });

    /** A page view unless it repeats the last URL sent (`force`: explicit calls, bfcache). */
    const view = (href?: unknown, title?: string | 0, force?: 1) => {
      timer = clearTimeout(timer as Timer);
      const all = requests(
        FULL && href ? new URL(href as string, loc.href).href : loc.href,
        (FULL && title) || d.title,
      );
      if (all[0] && ((FULL && force) || all[0][1] != last)) {
        last = all[0][1];
        all.forEach(([own, url, t, ref], i) => {
          const sent = send(
            query(endpoints[0]!, own!, url!) +
              '&t=' +
              encode(t!) +
              '&ref=' +
              encode(ref!) +
              '&w=' +
              width +
              '&h=' +
              height +
              (FULL ? extra.q : ''),
          ).catch(noop);
          if (!i) {
            gate = sent;
            if (FULL) open(sent);
          }
        });
        referrerSent = 1;
      }
    };
    // One page view per navigation: 100 ms after the last signal, for the URL current then.
    const navigated = () => {
      clearTimeout(timer as Timer);
      timer = setTimeout(view, 100);
    };

    const track: Track = (name, options = {}) => {
      if ('' + name !== name || !name) return Promise.reject('invalid event name');
      // A navigation still being coalesced is sent first, so the event lands on its page.
      if (timer) view();
      return gate.then(() => {
        let first: unknown;
        requests(loc.href, d.title).forEach(([own, url, title, referrer], i) => {
          const body = JSON.stringify({
            identification_code: own,
            url,
            title,
            referrer,
            screen_width: +width,
            screen_height: +height,
            tags: FULL ? extra.t : undefined,
            event_name: name,
            // The server turns durations and metadata values into what it stores (§2.6).
            event_duration: options.duration || 0,
            event_meta: options.meta,
            non_interactive: !!options.non_interactive,
          });
          let queued: unknown = nav.sendBeacon(endpoints[1]!, body);
          if (FULL && !queued) queued = send(endpoints[1]!, body);
          if (!i) first = queued;
        });
        // Nothing sent (opt-out, excluded page) resolves; a refused beacon rejects.
        if (first === false) throw 'error queuing event request';
      });
    };

    const add = (t: Element) => {
      const at = data(t);
      // 0: pianjs, pirschextendedjs or no id; 1: pirschjs; 2: pirscheventsjs; 3: pirschsessionsjs.
      const role = ids.indexOf(t.id) + 1;
      const base = endpointBase((t as HTMLScriptElement).src);
      if (dead) return;
      // Explicit attributes win, then what an earlier tag set, then next to the script.
      ['hit', 'event', 'session'].forEach(
        (name, i) =>
          (endpoints[i] =
            at(name + '-endpoint') ||
            ((role || 1) - 1 == i && at('endpoint')) ||
            endpoints[i] ||
            base + name),
      );
      if (role < 2 && !pageViews && !(FULL && at('disable-page-views') != null)) {
        pageViews = 1;
        let first: () => void = view;
        if (FULL) {
          // Events wait for the first page view, which waits for a prerender to be shown (§3.6).
          gate = new Promise((resolve) => (open = resolve));
          first = () => {
            if ((d as Document & { prerendering?: boolean }).prerendering)
              d.addEventListener('prerenderingchange', first);
            else {
              view();
              open();
            }
          };
          // A back-forward-cache restore is a visit a browser without that cache would reload.
          addEventListener('pageshow', (e) => e.persisted && view(0, 0, 1));
        }
        if (d.body) first();
        else d.addEventListener('DOMContentLoaded', first);
        if (!(FULL && at('disable-history') != null)) {
          const push = history.pushState;
          history.pushState = function (this: History) {
            // eslint-disable-next-line prefer-rest-params -- the shortest way to pass all on
            const result = push.apply(this, arguments as unknown as Parameters<typeof push>);
            navigated();
            return result;
          };
          addEventListener('popstate', navigated);
          // Browsers fire popstate before hashchange on fragment navigation; the core build
          // relies on that, the full build also listens to hashchange (§3.6).
          if (FULL) addEventListener('hashchange', navigated);
        }
      }
      // After the first page view is on its way, so replayed calls wait for it.
      if (role < 3 && !events) {
        events = w.pirsch = track;
        // Calls queued by the page's one-line stub before the script loaded, in order (§3.7).
        if (FULL) (extra.e || []).forEach((args) => track.apply(w, args as Parameters<Track>));
      }
      if (!sessions && (role > 2 || (FULL && !role && at('enable-sessions') != null)))
        sessions = setInterval(
          () =>
            !d.hidden &&
            requests(loc.href, '').forEach(([own, url]) =>
              nav.sendBeacon(query(endpoints[2]!, own!, url!)),
            ),
          +at('interval-ms')! || 6e4,
        );
    };

    // Suppressed pages get Pirsch's stub: it resolves with null; the full build also logs the
    // call as Pirsch does, the core build has no room for that (§1.3).
    w.pirsch = FULL
      ? (name, options) => {
          console.log('Pirsch event:', name, options);
          return Promise.resolve(null);
        }
      : () => Promise.resolve(null);
    w.pirschClearSession = () => clearInterval(sessions);
    if (FULL)
      w.pirschPageView = (o = {}) => {
        try {
          view(o.url, o.title, 1);
        } catch {
          // A bad URL from the page must not throw into it (§3.10).
        }
      };
    w.__spoor = add;
    add(tag);
  }
  return tag;
}
