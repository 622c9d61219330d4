import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWithinAny, PathEscapeError, resolveInside } from '../../../main/core/util/paths';
import { tempDir } from '../../helpers/tmp';

describe('resolveInside', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const root = path.join(t.dir, 'root');
  const outside = path.join(t.dir, 'outside');
  mkdirSync(path.join(root, 'images'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'images', 'a.jpg'), 'x');
  writeFileSync(path.join(outside, 'secret.jpg'), 'x');
  symlinkSync(outside, path.join(root, 'escape'));
  symlinkSync(path.join(root, 'images'), path.join(root, 'inner-link'));

  it('accepts paths inside the root, including symlinks that stay inside', () => {
    expect(resolveInside(root, 'images/a.jpg')).toBe(path.join(root, 'images', 'a.jpg'));
    expect(resolveInside(root, './images/../images/a.jpg')).toBe(path.join(root, 'images', 'a.jpg'));
    expect(resolveInside(root, 'inner-link/a.jpg')).toBe(path.join(root, 'inner-link', 'a.jpg'));
    expect(resolveInside(root, 'images/not-there.jpg')).toBe(path.join(root, 'images', 'not-there.jpg'));
  });

  it.each([
    ['../outside/secret.jpg'],
    ['images/../../outside/secret.jpg'],
    ['/etc/passwd'],
    ['escape/secret.jpg'],
    ['C:\\Windows\\win.ini'],
    ['images/a.jpg\0.png'],
  ])('refuses %s', (p) => {
    expect(() => resolveInside(root, p)).toThrow(PathEscapeError);
  });

  it('isWithinAny resolves symlinks before deciding', () => {
    expect(isWithinAny(path.join(root, 'images', 'a.jpg'), [root])).toBe(true);
    expect(isWithinAny(path.join(root, 'escape', 'secret.jpg'), [root])).toBe(false);
    expect(isWithinAny(path.join(outside, 'secret.jpg'), [root, outside])).toBe(true);
  });
});
