import type { MailMessage, MailTransport } from './types';

export interface OutboxMail extends MailMessage {
  id: number;
  sentAt: string;
  /** The http(s) links in the text part, so a developer can click through without a mail client. */
  links: string[];
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/**
 * Development mail without an SMTP server: each mail is printed to the console with its links and kept
 * in memory (newest first, the last `capacity`) for `GET /dev/mail`. Never used in production.
 */
export class DevOutbox implements MailTransport {
  private readonly mails: OutboxMail[] = [];
  private nextId = 1;

  constructor(private readonly options: { print: boolean; capacity?: number }) {}

  async deliver(message: MailMessage): Promise<void> {
    const mail: OutboxMail = {
      ...message,
      id: this.nextId++,
      sentAt: new Date().toISOString(),
      links: message.text.match(LINK) ?? [],
    };
    this.mails.unshift(mail);
    this.mails.splice(this.options.capacity ?? 100);
    if (this.options.print) {
      const links = mail.links.map((link) => `\n  ${link}`).join('');
      console.log(`[dev mail] to ${mail.to}: ${mail.subject}${links}`);
    }
  }

  /** Newest first. */
  list(): readonly OutboxMail[] {
    return this.mails;
  }

  close(): void {}
}
