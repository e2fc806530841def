import { describe, expect, it } from 'vitest';
import { connectionProblem, DEFAULT_CONNECT_TIMEOUT_MS } from '../../../main/hub/db';

/**
 * What `wardkeep hub …` says when PostgreSQL cannot be used (test/integration/sync/hub-setup.test.ts
 * runs the commands against a web server, a silent address and a password-protected role).
 */
describe("the hub's sentence for a connection to PostgreSQL that failed", () => {
  it('a silent address: the host and port PostgreSQL was looked for at, and the 15 seconds waited', () => {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(15_000);
    expect(
      connectionProblem(
        new Error('Connection terminated due to connection timeout'),
        'postgres://wardkeep:s3cret@db.hospital.local/wardkeep',
      ),
    ).toBe(
      "The hub's database at postgres://wardkeep:***@db.hospital.local/wardkeep cannot be used: the server at db.hospital.local:5432 did not answer within 15 seconds (is PostgreSQL running there, or does a firewall hold the connection?).",
    );
  });

  it('an IPv6 address is written with its brackets', () => {
    expect(connectionProblem(new Error('Connection terminated unexpectedly'), 'postgres://wardkeep@[::1]:6543/wardkeep', 2_500)).toMatch(
      /: the server at \[::1\]:6543 closed the connection without answering as PostgreSQL does/,
    );
  });

  it('any other failure while connecting is still one sentence naming the address, with the reason given', () => {
    expect(
      connectionProblem(
        Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
        'postgres://wardkeep@10.0.0.5:5433/wardkeep',
      ),
    ).toBe(
      "The hub's database at postgres://wardkeep@10.0.0.5:5433/wardkeep cannot be used: connecting to 10.0.0.5:5433 failed (self-signed certificate).",
    );
  });
});
