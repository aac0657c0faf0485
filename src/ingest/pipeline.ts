/**
 * The ingestion pipeline: requests of one HTTP call (one, or a batch sorted by time) go through
 * the pure steps — DNT, user agent, bot filter, URL, referrer, visitor id — then the session
 * state machine, and their rows through the group-commit writer. The call resolves once its rows
 * are stored; requests that are filtered out are skipped silently (the caller answers 200).
 */
import { randomInt } from 'node:crypto';
import type { EventStore } from '../store/clickhouse/event-store.ts';
import type { AttributeColumns } from '../store/clickhouse/rows.ts';
import { botReason, type SnippetHeaders } from './bots.ts';
import { channel } from './channel.ts';
import type { GeoLookup } from './geo.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { languageOf } from './language.ts';
import { normalizeTitle, parsePageUrl } from './page-url.ts';
import { chooseReferrer, classifyReferrer, referrerHostOf } from './referrer.ts';
import { screenClass, screenWidthFrom } from './screen.ts';
import {
  advanceSession,
  SESSION_TIMEOUT_MS,
  type EventFields,
  type LiveSession,
} from './session.ts';
import { loadLiveSession, visitorKey, type SessionCache } from './session-cache.ts';
import type { ClientHints, UserAgentInfo } from './types.ts';
import { parseUserAgent } from './user-agent.ts';
import { readUtm } from './utm.ts';
import { utcDay, visitorId } from './visitor-id.ts';
import type { GroupCommitWriter } from './writer.ts';

/** One request as the transports (API, snippet) hand it over, already validated. */
export interface IncomingRequest {
  kind: 'page_view' | 'event' | 'keep_alive';
  timeMs: number;
  /** The page URL; may be '' for a keep-alive. */
  url: string;
  /** The visitor's address (never stored). */
  ip: string;
  userAgent: string;
  acceptLanguage: string;
  title: string;
  /**
   * The visitor's referrer (API field, snippet `ref`). A snippet request's own `Referer` header
   * names the tracked page, not where the visitor came from, so it is never used.
   */
  referrer: string;
  screenWidth: number;
  screenHeight: number;
  hints: ClientHints;
  dnt: boolean;
  tags: Record<string, string>;
  event?: EventFields;
  disableBotFilter: boolean;
  /** Present for snippet traffic only: header heuristics apply to browsers (decision 24). */
  snippetHeaders?: SnippetHeaders;
}

/** The domain that receives the requests. */
export interface TargetDomain {
  id: string;
  /** Host names that are not external referrers: the domain's own and its alternatives. */
  ownHosts: readonly string[];
}

export interface PipelineOptions {
  /** Installation secret keyed into visitor ids. */
  visitorSecret: string;
  /** Honour DNT (decision 4). */
  honourDnt: boolean;
}

/** Why a request was not recorded (for metrics; the caller cannot tell). */
export type DropReason = 'dnt' | 'bot' | 'spam' | 'no-url' | 'no-session' | 'bot-session';

/** Runs requests through the pipeline; one instance per process. */
export class Ingestor {
  private readonly locks = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    private readonly cache: SessionCache,
    private readonly writer: GroupCommitWriter,
    private readonly geo: GeoLookup,
    private readonly options: PipelineOptions,
    private readonly onDrop: (reason: DropReason) => void = () => {},
  ) {}

  /** Process the requests (in time order) and resolve once their rows are stored. */
  async ingest(domain: TargetDomain, requests: readonly IncomingRequest[]): Promise<void> {
    const generation = this.writer.generation;
    const ordered = [...requests].sort((a, b) => a.timeMs - b.timeMs);
    const writes: Promise<void>[] = [];
    for (const request of ordered) {
      const queued = await this.process(domain, request, generation);
      if (queued !== undefined) writes.push(queued.written);
    }
    await Promise.all(writes);
  }

  /**
   * One request: filters, then — under the visitor's lock — session lookup, state machine, cache
   * update and queueing of its rows, so rows reach the writer in the order they were computed.
   */
  private async process(
    domain: TargetDomain,
    request: IncomingRequest,
    generation: number,
  ): Promise<{ written: Promise<void> } | undefined> {
    if (this.options.honourDnt && request.dnt) return this.drop('dnt');
    const page = parsePageUrl(request.url);
    if (page === null && request.kind !== 'keep_alive') return this.drop('no-url');
    const ua = parseUserAgent(request.userAgent, request.hints);
    if (!request.disableBotFilter) {
      const reason = botReason({
        userAgent: request.userAgent,
        ua,
        hints: request.hints,
        headers: request.snippetHeaders,
      });
      if (reason !== null) return this.drop('bot');
    }
    const rawReferrer = chooseReferrer({
      explicit: request.referrer,
      header: '',
      pageQuery: page?.query ?? new URLSearchParams(),
    });
    // The page's own host is never an external referrer, even where no host check applies.
    const ownHosts = page ? [...domain.ownHosts, page.hostname] : domain.ownHosts;
    const referrer = classifyReferrer(rawReferrer, ownHosts);
    if (referrer === 'spam') return this.drop('spam');
    const utm = readUtm(page?.query ?? new URLSearchParams(), referrer.name);

    const today = visitorId(
      this.options.visitorSecret,
      domain.id,
      request.userAgent,
      request.ip,
      utcDay(request.timeMs),
    );
    const key = visitorKey(domain.id, today);
    return this.locks.run(key, async () => {
      const live = await this.liveSession(domain.id, request, today);
      const outcome = advanceSession(
        live?.session,
        {
          kind: request.kind,
          timeMs: request.timeMs,
          domainId: domain.id,
          visitorId: today,
          hostname: page?.hostname ?? '',
          path: page?.path ?? '/',
          title: normalizeTitle(request.title),
          referrer,
          utm,
          attributes: () => this.attributes(request, ua, referrer, utm),
          tags: request.tags,
          event: request.event,
          botFilter: !request.disableBotFilter,
        },
        () => randomInt(1, 2 ** 32 - 1),
      );
      if (outcome.sessions.length === 0) {
        return this.drop(request.kind === 'keep_alive' ? 'no-session' : 'bot-session');
      }
      // A session continued across midnight stays under yesterday's visitor id; cache it under
      // the key it is stored with, and under today's so that today's requests find it at once.
      if (outcome.next !== undefined) {
        const storedKey = visitorKey(domain.id, outcome.next.state.visitor_id);
        await this.cache.set(storedKey, outcome.next);
        if (storedKey !== key) await this.cache.set(key, outcome.next);
      }
      const written = this.writer.write(outcome, generation);
      // Settled by `ingest`; this keeps an early rejection from counting as unhandled meanwhile.
      written.catch(() => {});
      return { written };
    });
  }

  /**
   * The visitor's live session: from the cache, else from the event store when the cache cannot
   * vouch for a miss; before 00:30 UTC also under yesterday's visitor id (decision 14).
   */
  private async liveSession(
    domainId: string,
    request: IncomingRequest,
    today: string,
  ): Promise<{ session: LiveSession } | undefined> {
    const candidates = [today];
    const windowStartDay = utcDay(request.timeMs - SESSION_TIMEOUT_MS);
    if (windowStartDay !== utcDay(request.timeMs)) {
      candidates.push(
        visitorId(
          this.options.visitorSecret,
          domainId,
          request.userAgent,
          request.ip,
          windowStartDay,
        ),
      );
    }
    for (const id of candidates) {
      const cached = await this.cache.get(visitorKey(domainId, id));
      if (cached !== undefined) return { session: cached };
      if (!this.cache.complete(request.timeMs)) {
        const stored = await loadLiveSession(this.store, domainId, id, request.timeMs);
        if (stored !== undefined) return { session: stored };
      }
    }
    return undefined;
  }

  /** Visitor attributes of a new session. */
  private attributes(
    request: IncomingRequest,
    ua: UserAgentInfo,
    referrer: { referrer: string; name: string; icon: string },
    utm: ReturnType<typeof readUtm>,
  ): AttributeColumns {
    const geo = this.geo.lookup(request.ip);
    const width = screenWidthFrom(request.screenWidth, request.hints);
    const screenKnown = request.screenWidth > 0 && request.screenHeight > 0;
    return {
      language: languageOf(request.acceptLanguage),
      country_code: geo.countryCode,
      region: geo.region,
      city: geo.city,
      referrer: referrer.referrer,
      referrer_name: referrer.name,
      referrer_icon: referrer.icon,
      os: ua.os,
      os_version: ua.osVersion,
      browser: ua.browser,
      browser_version: ua.browserVersion,
      platform: ua.platform,
      screen_width: screenKnown ? Math.min(request.screenWidth, 65535) : 0,
      screen_height: screenKnown ? Math.min(request.screenHeight, 65535) : 0,
      screen_class: screenClass(width),
      utm_source: utm.source,
      utm_medium: utm.medium,
      utm_campaign: utm.campaign,
      utm_content: utm.content,
      utm_term: utm.term,
      channel: channel({
        referrerHost: referrerHostOf(referrer.referrer),
        referrerName: referrer.name,
        utm,
      }),
    };
  }

  private drop(reason: DropReason): undefined {
    this.onDrop(reason);
    return undefined;
  }
}
