import { describe, expect, it } from 'vitest';
import { labCommand } from '../src/commands/lab.js';
import { UserError } from '../src/errors.js';

describe('racelings lab', () => {
  it('an unknown lab is a UserError that names the labs there are', async () => {
    const error = await labCommand({ name: 'sharding', json: false, verbose: false, color: false }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('sharding');
    expect(error.hint).toContain('isolation');
    expect(error.hint).toContain('locks');
  });
});
