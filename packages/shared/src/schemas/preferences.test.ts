import { describe, expect, it } from 'vitest';
import { ZPreferencesUpdateInput, ZTimeZone } from './preferences';

describe('ZTimeZone', () => {
  it('accepts IANA zones and names unknown ones', () => {
    expect(ZTimeZone.parse(' America/Chicago ')).toBe('America/Chicago');
    const result = ZTimeZone.safeParse('Mars/Olympus_Mons');
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['Unknown time zone']);
  });
});

describe('ZPreferencesUpdateInput', () => {
  it('accepts partial updates and clearing the zone', () => {
    expect(ZPreferencesUpdateInput.parse({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(ZPreferencesUpdateInput.parse({ timezone: null })).toEqual({ timezone: null });
  });

  it('limits preferred models to 12 distinct ids', () => {
    const twelve = Array.from({ length: 12 }, (_, index) => `vendor/model-${index}`);
    expect(ZPreferencesUpdateInput.safeParse({ preferredModels: twelve }).success).toBe(true);
    expect(ZPreferencesUpdateInput.safeParse({ preferredModels: [...twelve, 'vendor/more'] }).success).toBe(
      false,
    );
    expect(ZPreferencesUpdateInput.safeParse({ preferredModels: ['a/b', 'a/b'] }).success).toBe(false);
    expect(ZPreferencesUpdateInput.safeParse({ preferredModels: [''] }).success).toBe(false);
    expect(ZPreferencesUpdateInput.safeParse({ theme: 'sepia' }).success).toBe(false);
    expect(ZPreferencesUpdateInput.safeParse({ timezone: 'Nowhere/Land' }).success).toBe(false);
  });
});
