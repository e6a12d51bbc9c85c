import { describe, expect, it } from 'vitest';
import {
  ZChangePasswordInput,
  ZEmail,
  ZLoginInput,
  ZPassword,
  ZPublicUser,
  ZRegisterInput,
  ZVerifyEmailInput,
} from './user';

function messagesOf(result: { success: boolean; error?: { issues: Array<{ message: string }> } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('ZEmail', () => {
  it('trims and lowercases', () => {
    expect(ZEmail.parse('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it('rejects non-addresses and over-long ones', () => {
    expect(messagesOf(ZEmail.safeParse('not-an-email'))).toEqual(['Enter a valid email address']);
    expect(ZEmail.safeParse(`${'a'.repeat(250)}@x.com`).success).toBe(false);
  });
});

describe('ZPassword', () => {
  it('accepts 8+ characters with a letter and a digit', () => {
    expect(ZPassword.safeParse('abcdefg1').success).toBe(true);
  });

  it('explains each rule that is broken', () => {
    expect(messagesOf(ZPassword.safeParse('abc1'))).toEqual(['Password must be at least 8 characters']);
    expect(messagesOf(ZPassword.safeParse('12345678'))).toEqual([
      'Password must contain at least one letter',
    ]);
    expect(messagesOf(ZPassword.safeParse('abcdefgh'))).toEqual(['Password must contain at least one digit']);
    expect(messagesOf(ZPassword.safeParse(`a1${'x'.repeat(127)}`))).toEqual([
      'Password must be at most 128 characters',
    ]);
  });
});

describe('account inputs', () => {
  it('applies the password rules on registration but not on sign-in', () => {
    expect(ZRegisterInput.safeParse({ email: 'a@b.co', password: 'short' }).success).toBe(false);
    expect(ZLoginInput.parse({ email: 'A@B.co', password: 'short' })).toEqual({
      email: 'a@b.co',
      password: 'short',
    });
    expect(ZLoginInput.safeParse({ email: 'a@b.co', password: '' }).success).toBe(false);
  });

  it('bounds mail tokens to 16..256 characters', () => {
    expect(ZVerifyEmailInput.safeParse({ token: 'x'.repeat(15) }).success).toBe(false);
    expect(ZVerifyEmailInput.safeParse({ token: 'x'.repeat(16) }).success).toBe(true);
    expect(ZVerifyEmailInput.safeParse({ token: 'x'.repeat(257) }).success).toBe(false);
  });

  it('asks for a new password that differs from the current one', () => {
    const result = ZChangePasswordInput.safeParse({ currentPassword: 'abcdefg1', newPassword: 'abcdefg1' });
    expect(result.error?.issues[0]?.path).toEqual(['newPassword']);
  });
});

describe('ZPublicUser', () => {
  it('parses a signed-in user', () => {
    const user = {
      id: 7,
      email: 'ada@example.com',
      tier: 'starter',
      limitsTier: 'starter',
      role: 'user',
      isAdmin: false,
      isVerified: true,
      isActive: true,
      credits: {
        allocated: 720,
        used: 10,
        remaining: 710,
        resetsAt: '2026-02-01T00:00:00.000Z',
        period: 'month',
      },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(ZPublicUser.parse(user)).toEqual(user);
    expect(ZPublicUser.safeParse({ ...user, tier: 'anonymous' }).success).toBe(false);
    expect(ZPublicUser.safeParse({ ...user, createdAt: 'yesterday' }).success).toBe(false);
  });
});
