import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes';

function at(path: string) {
  const url = new URL(path, 'http://app.local');
  return matchRoute({ pathname: url.pathname, search: url.searchParams });
}

describe('matchRoute: the staff console', () => {
  it('maps /admin and its tabs, and nothing else under /admin', () => {
    expect(at('/admin')).toEqual({ name: 'admin', tab: 'users' });
    expect(at('/admin/')).toEqual({ name: 'admin', tab: 'users' });
    expect(at('/admin/audit')).toEqual({ name: 'admin', tab: 'audit' });
    expect(at('/admin/analytics')).toEqual({ name: 'admin', tab: 'analytics' });
    expect(at('/admin/models')).toEqual({ name: 'admin', tab: 'models' });
    expect(at('/admin/settings')).toEqual({ name: 'admin', tab: 'settings' });
    expect(at('/admin/shares')).toEqual({ name: 'admin', tab: 'shares' });
    expect(at('/admin/nope')).toEqual({ name: 'not-found' });
    expect(at('/admin/users/1')).toEqual({ name: 'not-found' });
  });
});

describe('matchRoute: shared links', () => {
  it('maps /s/<token> to the shared page, and nothing deeper', () => {
    const token = 'AbC_d-e'.padEnd(43, 'x');
    expect(at(`/s/${token}`)).toEqual({ name: 'shared', token });
    expect(at('/s/')).toEqual({ name: 'not-found' });
    expect(at(`/s/${token}/more`)).toEqual({ name: 'not-found' });
  });
});
