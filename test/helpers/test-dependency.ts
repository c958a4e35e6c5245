// The one place that decides what a test does when something it needs is missing (a tool the setup installs,
// ../shared/samples, a built artefact): locally it skips and says why; under CI (.ci/run sets CI=true) the
// setup must have provided it, so the gap is a failing test that says what is missing, and the tests that
// need it are skipped beside that failure instead of failing on whatever the absence breaks first.
import { test } from 'node:test';

/** CI is on when `CI` is set to anything but '', '0' or 'false' (GitHub, GitLab and .ci/run set 'true'). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env['CI'] ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * `problem` is why `what` cannot run here (null or false: it can). Returns the `skip` option for node:test.
 * Under CI a missing dependency also registers a test that fails with `problem`, so `npm test` fails.
 */
export function needs(what: string, problem: string | null | false): string | false {
  if (problem === null || problem === false) return false;
  if (underCi()) {
    test(`test dependency present: ${what}`, () => {
      throw new Error(`${problem} (CI is set: a missing test dependency is a failure, not a skip)`);
    });
  }
  return problem;
}

/**
 * For a test that depends on a property of the machine no setup step provides (e.g. an older system Node to
 * prove the launcher refuses it): a skip, also under CI, with the reason. Kept here so every skip in test/
 * goes through this file.
 */
export function onlyWhen(condition: boolean, reason: string): string | false {
  return condition ? false : reason;
}
