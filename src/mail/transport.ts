/**
 * The mail transport: SMTP through nodemailer, configured by `config.smtp`. Without an SMTP host
 * there is no transport at all (`createMailer` answers undefined) and every e-mail feature says
 * so instead of pretending to send (decision 10: the API hands out accept links).
 */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';

/** One message to send; `to` may list several addresses of one conversation. */
export interface OutgoingMail {
  to: string | readonly string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/** Sends messages; a rejected promise means nothing was accepted by the SMTP server. */
export interface Mailer {
  /** The configured sender (`SPOOR_SMTP_FROM`). */
  readonly from: string;
  send(mail: OutgoingMail): Promise<void>;
  /** Releases the transport. Idempotent. */
  close(): void;
}

/** Time limits, so a server that accepts the connection and then stalls cannot hang a pass. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** The SMTP mailer for this configuration, or undefined when no SMTP host is configured. */
export function createMailer(smtp: SmtpConfig | undefined): Mailer | undefined {
  if (smtp === undefined) return undefined;
  // One connection per message (no pool): reports are a handful a minute, and an idle pooled
  // connection would only be dropped by the server between passes.
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    // false = plain connection upgraded with STARTTLS when the server offers it.
    secure: smtp.secure,
    auth: smtp.user !== undefined ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  let closed = false;
  return {
    from: smtp.from,
    async send(mail) {
      await transport.sendMail({
        from: smtp.from,
        to: typeof mail.to === 'string' ? mail.to : [...mail.to],
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: mail.headers,
      });
    },
    close() {
      if (closed) return;
      closed = true;
      transport.close();
    },
  };
}
