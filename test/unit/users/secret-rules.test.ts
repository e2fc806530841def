import { describe, expect, it } from 'vitest';
import { issueProblems } from '../../../shared/validation';
import { isGuessablePin, password, pin } from '../../../shared/domain/user';

/** PINs and passwords are typed in the same box at sign-in: digits are held to one rule. */
const sentence = (schema: typeof password | typeof pin, field: string, value: string) => {
  const res = schema.safeParse(value);
  if (res.success) return null;
  return issueProblems(res.error.issues.map((i) => ({ ...i, path: [field] })))[0]!.message;
};

describe('PIN and password rules', () => {
  it('refuses a password of digits that is one digit repeated or a run, as it refuses such a PIN', () => {
    for (const digits of ['12345678', '87654321', '11111111', '0123456789', '9876543210']) {
      expect(isGuessablePin(digits), digits).toBe(true);
      expect(sentence(password, 'password', digits), digits).toBe(
        'Password must not be one digit repeated or a run of digits such as 12345678: those are tried first.',
      );
    }
    expect(sentence(pin, 'temporaryPin', '12345678')).toMatch(/^Temporary PIN must not be one digit repeated or a run/i);
  });

  it('accepts other passwords of 8 characters or more, digits or not', () => {
    for (const ok of ['13572468', '20261125', 'pump12345678', '12345678a', 'correct horse battery']) expect(sentence(password, 'password', ok), ok).toBeNull();
    expect(sentence(password, 'password', '1357246')).toBe('Password must be at least 8 characters.');
  });
});

describe('the sentences name PIN fields as people write them', () => {
  it('says "Temporary PIN" and "New PIN", not "Temporary pin"', () => {
    expect(sentence(pin, 'temporaryPin', '1234')).toMatch(/^Temporary PIN must not be one digit repeated or a run/);
    expect(sentence(pin, 'newPin', '12')).toBe('New PIN must be 4 to 8 digits.');
  });
});
