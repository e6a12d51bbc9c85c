import nodemailer from 'nodemailer';
import type { MailMessage, MailTransport } from './types';

/** Mail over SMTP (nodemailer), e.g. `smtp://user:pass@smtp.example.com:587` or `smtps://…:465`. */
export function createSmtpTransport({ smtpUrl, from }: { smtpUrl: string; from: string }): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async deliver(message: MailMessage) {
      await transporter.sendMail({ from, ...message });
    },
    close() {
      transporter.close();
    },
  };
}
