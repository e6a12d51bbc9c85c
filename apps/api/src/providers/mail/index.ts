import type { AppConfig } from '../../env';
import { DevOutbox } from './dev-outbox';
import { createSmtpTransport } from './smtp-transport';
import type { MailMessage, MailTransport } from './types';

export { DevOutbox, type OutboxMail } from './dev-outbox';
export type { MailMessage, MailTransport } from './types';

/**
 * Sends mail in the background: a request never waits for the SMTP server, so an answer takes as long
 * whether or not a mail was sent (no timing hint that an email is registered), and a slow or failing
 * server never fails the request. Failures are logged; the user can ask for the mail again.
 */
export class Mailer {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly transport: MailTransport,
    private readonly onError: (error: unknown, message: MailMessage) => void = logMailError,
  ) {}

  send(message: MailMessage): void {
    const delivery = this.transport
      .deliver(message)
      .catch((error: unknown) => this.onError(error, message))
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves once every mail sent so far has been delivered or has failed. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  async close(): Promise<void> {
    await this.idle();
    this.transport.close();
  }
}

function logMailError(error: unknown, message: MailMessage): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`Mail "${message.subject}" could not be sent: ${reason}`);
}

/**
 * SMTP when SMTP_URL is set. Otherwise mail is printed to the console and, outside production, kept in
 * the dev outbox (GET /dev/mail); main.ts warns when production runs without SMTP.
 */
export function createMailer(config: AppConfig): { mailer: Mailer; devOutbox: DevOutbox | null } {
  if (config.SMTP_URL) {
    const transport = createSmtpTransport({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
    return { mailer: new Mailer(transport), devOutbox: null };
  }
  const production = config.NODE_ENV === 'production';
  const outbox = new DevOutbox({ print: config.LOG_LEVEL !== 'silent', capacity: production ? 0 : 100 });
  return { mailer: new Mailer(outbox), devOutbox: production ? null : outbox };
}
