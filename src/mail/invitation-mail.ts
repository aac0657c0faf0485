/**
 * Invitation e-mails (decision 10): the accept link goes to the invited address. Plugged into
 * `inviteMembers` as its `sendInvitation`; without a mail transport there is no sender and the
 * API answers with the links instead (decision 27).
 */
import { UnavailableError } from '../errors.ts';
import type { InvitationMail, SendInvitation } from '../manage/invitations.ts';
import { errorInfo, type MailContext } from './context.ts';
import {
  COLOR_MUTED,
  button,
  escapeHtml,
  formatDay,
  heading,
  layout,
  link,
  paragraph,
  section,
} from './html.ts';
import type { RenderedMail } from './report-render.ts';
import type { Mailer } from './transport.ts';

/** The invitation message; `inviter` is the inviting user's name or address. */
export function invitationMessage(mail: InvitationMail, inviter: string): RenderedMail {
  const host = mail.domain.hostname;
  const subject = `${inviter} invited you to the statistics of ${host}`;
  const until = formatDay(mail.expiresAt.slice(0, 10), false, true);
  const intro = `${inviter} invited ${mail.email} to view the statistics of ${host} on Spoor.`;
  const how = `Sign in (or sign up) with this e-mail address and accept the invitation. The link is valid until ${until}.`;
  const ignore = 'If you do not know what this is about, ignore this e-mail: nothing happens.';
  const html = layout({
    title: subject,
    preheader: intro,
    body:
      section(
        heading(`Invitation to ${host}`) +
          paragraph(escapeHtml(intro)) +
          paragraph(escapeHtml(how)),
        '24px 24px 8px 24px',
      ) +
      section(button(mail.acceptLink, 'Accept the invitation'), '8px 24px 8px 24px') +
      section(
        paragraph(
          `Or open this link: ${link(mail.acceptLink, mail.acceptLink, true)}`,
          COLOR_MUTED,
        ) + paragraph(escapeHtml(ignore), COLOR_MUTED),
        '8px 24px 24px 24px',
      ),
  });
  const text = `${intro}\n\n${how}\n\nAccept the invitation: ${mail.acceptLink}\n\n${ignore}\n`;
  return { subject, html, text };
}

/**
 * The `sendInvitation` of `inviteMembers`. A send that fails answers 503 (the invitation stays
 * pending; inviting the address again sends a fresh link).
 */
export function invitationSender(
  ctx: Pick<MailContext, 'db' | 'log' | 'metrics'>,
  mailer: Mailer,
): SendInvitation {
  return async (mail) => {
    const inviter = await ctx.db
      .selectFrom('user')
      .select(['email', 'full_name'])
      .where('id', '=', mail.invitedBy)
      .executeTakeFirst();
    const name = inviter ? inviter.full_name.trim() || inviter.email : 'Someone';
    try {
      await mailer.send({ to: mail.email, ...invitationMessage(mail, name) });
      ctx.metrics.count('invitation', 'sent');
    } catch (err) {
      ctx.metrics.count('invitation', 'failed');
      ctx.log.warn(
        { domain_id: mail.domain.id, err: errorInfo(err) },
        'invitation e-mail not sent',
      );
      throw new UnavailableError(
        'the invitation e-mail could not be sent (mail server unavailable); invite again later',
        60,
      );
    }
  };
}
