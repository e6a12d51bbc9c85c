import { describe, expect, it } from 'vitest';
import {
  canUseModelAccess,
  effectiveLimitsTier,
  hasPermission,
  isAdminRole,
  MAX_MODELS_PER_COMPARISON,
  minimumTierForAccess,
  modelAccessFor,
  STAFF_PERMISSIONS,
  SUBSCRIPTION_TIERS,
  staffPermissionsOf,
  TIERS,
} from './tiers';

describe('TIERS', () => {
  it('matches the PRODUCT.md table', () => {
    expect(TIERS.anonymous).toMatchObject({
      credits: 50,
      period: 'day',
      modelsPerComparison: 3,
      savedConversations: 2,
    });
    expect(TIERS.free).toMatchObject({
      credits: 100,
      period: 'day',
      modelsPerComparison: 3,
      savedConversations: 3,
    });
    expect(TIERS.starter).toMatchObject({
      credits: 720,
      period: 'month',
      modelsPerComparison: 6,
      priceMonthlyUsd: 9,
    });
    expect(TIERS.starter_plus).toMatchObject({ credits: 1600, savedConversations: 20, priceMonthlyUsd: 19 });
    expect(TIERS.pro).toMatchObject({ credits: 3300, modelsPerComparison: 9, savedConversations: 40 });
    expect(TIERS.pro_plus).toMatchObject({ credits: 6700, modelsPerComparison: 12, savedConversations: 80 });
    expect(MAX_MODELS_PER_COMPARISON).toBe(12);
  });

  it('prices yearly billing at 10 × monthly and marks paid tiers', () => {
    expect(TIERS.pro_plus.priceYearlyUsd).toBe(790);
    expect(TIERS.free.priceYearlyUsd).toBe(0);
    expect(SUBSCRIPTION_TIERS.filter((tier) => TIERS[tier].paid)).toEqual([
      'starter',
      'starter_plus',
      'pro',
      'pro_plus',
    ]);
  });
});

describe('effectiveLimitsTier', () => {
  it('gives unverified users and visitors the anonymous limits', () => {
    expect(effectiveLimitsTier({ tier: 'pro', isVerified: false, isAnonymous: false })).toBe('anonymous');
    expect(effectiveLimitsTier({ tier: null, isVerified: false, isAnonymous: true })).toBe('anonymous');
    expect(effectiveLimitsTier({ tier: 'pro', isVerified: true, isAnonymous: false })).toBe('pro');
  });
});

describe('model access', () => {
  it('opens anonymous models to all, free to registered, paid to paid tiers', () => {
    expect(modelAccessFor('anonymous')).toEqual(['anonymous']);
    expect(modelAccessFor('free')).toEqual(['anonymous', 'free']);
    expect(modelAccessFor('starter')).toEqual(['anonymous', 'free', 'paid']);
    expect(canUseModelAccess('free', 'paid')).toBe(false);
    expect(canUseModelAccess('pro_plus', 'paid')).toBe(true);
  });

  it('names the cheapest tier that unlocks a model', () => {
    expect(minimumTierForAccess('anonymous')).toBe('anonymous');
    expect(minimumTierForAccess('free')).toBe('free');
    expect(minimumTierForAccess('paid')).toBe('starter');
  });
});

describe('permissions', () => {
  it('knows which roles are admins', () => {
    expect(isAdminRole('admin')).toBe(true);
    expect(isAdminRole('super_admin')).toBe(true);
    expect(isAdminRole('moderator')).toBe(false);
    expect(isAdminRole('user')).toBe(false);
  });

  it('gives super_admin every permission, whatever the list says', () => {
    for (const permission of STAFF_PERMISSIONS) {
      expect(hasPermission({ role: 'super_admin', admin_permissions: ['users.read'] }, permission)).toBe(
        true,
      );
    }
  });

  it('gives admin everything unless admin_permissions narrows it', () => {
    expect(hasPermission({ role: 'admin' }, 'users.delete')).toBe(true);
    expect(hasPermission({ role: 'admin', admin_permissions: [] }, 'settings.write')).toBe(true);
    const narrowed = { role: 'admin', admin_permissions: ['users.read', 'users.write'] };
    expect(hasPermission(narrowed, 'users.write')).toBe(true);
    expect(hasPermission(narrowed, 'users.delete')).toBe(false);
  });

  it('gives moderators read access by default; a list only narrows it, never widens it', () => {
    expect(staffPermissionsOf({ role: 'moderator', admin_permissions: null })).toEqual([
      'users.read',
      'audit.read',
      'analytics.read',
      'content.moderate',
    ]);
    expect(hasPermission({ role: 'moderator' }, 'users.write')).toBe(false);
    const narrowed = { role: 'moderator', adminPermissions: ['users.read', 'not.a.permission'] };
    expect(staffPermissionsOf(narrowed)).toEqual(['users.read']);
    expect(hasPermission(narrowed, 'analytics.read')).toBe(false);
    const widening = {
      role: 'moderator',
      admin_permissions: ['users.read', 'users.write', 'settings.write'],
    };
    expect(staffPermissionsOf(widening)).toEqual(['users.read']);
  });

  it('never widens an admin past the role set and never narrows a super_admin', () => {
    expect(staffPermissionsOf({ role: 'admin', admin_permissions: ['audit.read', 'bogus'] })).toEqual([
      'audit.read',
    ]);
    expect(staffPermissionsOf({ role: 'super_admin', admin_permissions: ['audit.read'] })).toEqual(
      STAFF_PERMISSIONS,
    );
  });

  it('gives users and unknown roles nothing', () => {
    expect(staffPermissionsOf({ role: 'user', admin_permissions: ['users.read'] })).toEqual([]);
    expect(hasPermission({ role: 'owner' }, 'users.read')).toBe(false);
  });
});
