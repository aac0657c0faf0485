/**
 * A real SMTP server for tests (`smtp-server`, in the test process), whose received messages are
 * parsed with `mailparser`. It can refuse mail (`reject = true`: 451 to every MAIL FROM) or be
 * closed and started again on the same port (a mail server that is down, then back).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** Answer every MAIL FROM with 451 while true. */
  reject: boolean;
  /** The `SPOOR_SMTP_*` environment pointing at this server. */
  env: Record<string, string>;
  /** Resolve once at least `count` messages arrived (or fail after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Stop listening (the port is kept for `restart`). */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
}

/** Start an SMTP server on 127.0.0.1 (a free port unless `port` is given). */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const state: { reject: boolean } = { reject: false };

  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const s = new SMTPServer({
        authOptional: true,
        // nodemailer would upgrade to the server's self-signed certificate and refuse it.
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onMailFrom(_address, _session, callback) {
          if (!state.reject) return callback();
          const err = Object.assign(new Error('Mailbox temporarily unavailable'), {
            responseCode: 451,
          });
          callback(err);
        },
        onData(stream, session, callback) {
          simpleParser(stream).then(
            (parsed) => {
              received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), parsed });
              callback();
            },
            (err: Error) => callback(err),
          );
        },
      });
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () => {
        server = s;
        resolve((s.server.address() as AddressInfo).port);
      });
    });

  const bound = await listen(port);
  const smtp: TestSmtp = {
    port: bound,
    received,
    get reject() {
      return state.reject;
    },
    set reject(value: boolean) {
      state.reject = value;
    },
    env: {
      SPOOR_SMTP_HOST: '127.0.0.1',
      SPOOR_SMTP_PORT: String(bound),
      SPOOR_SMTP_FROM: 'Spoor <spoor@example.com>',
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} message(s), got ${received.length}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const s = server;
        server = undefined;
        if (!s) return resolve();
        s.close(() => resolve());
      }),
    async restart() {
      await listen(bound);
    },
  };
  return smtp;
}

/** The header value as text (mailparser turns some headers into objects). */
export function headerText(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  return line?.line.slice(line.line.indexOf(':') + 1).trim();
}
