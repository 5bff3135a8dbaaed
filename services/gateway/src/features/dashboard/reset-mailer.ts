import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';

/** Delivers a password reset link to an address. */
export interface ResetMailer {
  send(to: string, link: string, ttlMin: number): Promise<void>;
}

/** nodemailer over SMTP_URL: a plain-text e-mail holding the link. */
export class SmtpResetMailer implements ResetMailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(to: string, link: string, ttlMin: number): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: 'Reset your DeepFace API password',
      text:
        'Someone (hopefully you) asked to reset the password of your DeepFace API dashboard account.\n\n' +
        `Choose a new password here (the link works once, for ${ttlMin} minutes):\n\n${link}\n\n` +
        'If you did not ask for this, ignore this e-mail: your password stays as it is.\n',
    });
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * No SMTP configured (development, `npm start`): the link goes to the log so that the person running the server
 * can follow it. The one place a reset token is written anywhere; the address is not (personal data).
 * Written at `warn` whatever LOG_LEVEL says (a child logger with its own level): the link is the only way back into
 * an account here, and `LOG_LEVEL=error` or `silent` must not make the reset flow a dead end.
 */
export class LogResetMailer implements ResetMailer {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger.child({ component: 'dev-mailer' }, { level: 'warn' });
  }

  send(_to: string, link: string): Promise<void> {
    this.logger.warn(
      { reset_link: link },
      'password reset link (SMTP_URL is not set, so it was not e-mailed; set SMTP_URL in production)',
    );
    return Promise.resolve();
  }
}

export function createResetMailer(config: Pick<Config, 'mail'>, logger: Logger): ResetMailer {
  return config.mail.smtpUrl
    ? new SmtpResetMailer(config.mail.smtpUrl, config.mail.from)
    : new LogResetMailer(logger);
}
