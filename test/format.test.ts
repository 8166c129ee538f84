import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counted, operationText, thousands } from '../src/explorer/format.js';

describe('operationText: an operation as a timeline reads it', () => {
  it('puts a call’s arguments in parentheses, an empty list too', () => {
    expect(operationText('kv.get', ['home'])).toBe("kv.get('home')");
    expect(operationText('db.connect', [])).toBe('db.connect()');
  });

  it('leaves an expression, and a checker’s event in words, as written', () => {
    expect(operationText('counts[0] = 1', [])).toBe('counts[0] = 1');
    expect(operationText('Atomics.add(counts, 0, 1)', [])).toBe('Atomics.add(counts, 0, 1)');
    expect(operationText('views stopped; the database works again', [])).toBe(
      'views stopped; the database works again',
    );
  });
});

describe('thousands: a count as en-US writes it, without Intl', () => {
  it('groups digits by three, and leaves short numbers alone', () => {
    expect(thousands(0)).toBe('0');
    expect(thousands(999)).toBe('999');
    expect(thousands(1000)).toBe('1,000');
    expect(thousands(20_000)).toBe('20,000');
    expect(thousands(1_234_567)).toBe('1,234,567');
    expect(thousands(-1_000)).toBe('-1,000');
  });

  it('writes every integer as toLocaleString("en-US") does', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (x) => {
        expect(thousands(x)).toBe(x.toLocaleString('en-US'));
      }),
    );
  });
});

describe('counted', () => {
  it('says one thing in the singular, any other count in the plural, with separators', () => {
    expect(counted(1, 'distinct interleaving')).toBe('1 distinct interleaving');
    expect(counted(0, 'workload')).toBe('0 workloads');
    expect(counted(20_000, 'schedule')).toBe('20,000 schedules');
    expect(counted(2, 'more workload', 'more workloads')).toBe('2 more workloads');
  });
});
