/** One outgoing mail, always in both plain text and HTML. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where mail goes: an SMTP server, or the development outbox. */
export interface MailTransport {
  deliver(message: MailMessage): Promise<void>;
  close(): void;
}
