import { describe, expect, it } from 'vitest';
import { operationText } from '../src/explorer/format.js';

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
