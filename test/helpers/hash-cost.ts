import { useHashCostForTests } from '../../main/core/auth/passwords';

/**
 * Test suites sign in hundreds of times: at the real cost (scrypt N = 2^17, about 0.75 s a hash on
 * CI) that alone would take many minutes. Hashes record their cost, so everything else is the same;
 * test/unit/users/passwords.test.ts checks the real cost.
 */
useHashCostForTests(1 << 12);
