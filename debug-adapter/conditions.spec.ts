// Unit tests of hit-count conditions and logpoint messages (conditions.ts) and of the hit
// counting and decisions of BreakpointRules, with a stand-in evaluator instead of a target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHitCondition, parseLogMessage, formatLogMessage, ConditionError } from './conditions';
import { BreakpointRules, type RuleEvaluator } from './breakpoint-rules';

test('hit conditions: N, >= N, == N, > N, < N, <= N, % N', () => {
  const run = (src: string) => [1, 2, 3, 4, 5, 6].filter(parseHitCondition(src));
  assert.deepEqual(run('3'), [3, 4, 5, 6]);
  assert.deepEqual(run('>= 4'), [4, 5, 6]);
  assert.deepEqual(run('== 2'), [2]);
  assert.deepEqual(run('=5'), [5]);
  assert.deepEqual(run('> 4'), [5, 6]);
  assert.deepEqual(run('< 3'), [1, 2]);
  assert.deepEqual(run('<= 1'), [1]);
  assert.deepEqual(run('% 3'), [3, 6]);
  assert.throws(() => parseHitCondition('often'), ConditionError);
  assert.throws(() => parseHitCondition('% 0'), /never matches/);
});

test('log messages split {expr} parts, keep {{ }} literal and show errors in place', async () => {
  const parts = parseLogMessage('count={count} twice={count*2} {{raw}}');
  assert.deepEqual(parts, ['count=', { expr: 'count' }, ' twice=', { expr: 'count*2' }, ' {raw}']);
  const vals: Record<string, string> = { count: '7', 'count*2': '14' };
  const show = async (x: string) => { const v = vals[x]; if (v === undefined) throw new Error(`no symbol '${x}'`); return v; };
  assert.equal(await formatLogMessage(parts, show), 'count=7 twice=14 {raw}');
  assert.equal(await formatLogMessage(parseLogMessage('v={y}'), show), "v=<y: no symbol 'y'>");
  assert.throws(() => parseLogMessage('a {b'), /never closed/);
  assert.throws(() => parseLogMessage('a } b'), /unmatched '}'/);
  assert.throws(() => parseLogMessage('a {} b'), /empty \{\}/);
});

/** An evaluator over one variable `i` that understands `i % 2 == 0`-style tests by a lookup table. */
function evalWith(i: number): RuleEvaluator {
  return {
    test: async (x) => {
      if (x === 'i % 2 == 0') return i % 2 === 0;
      throw new Error(`no symbol in '${x}'`);
    },
    show: async (x) => { if (x === 'i') return String(i); throw new Error(`no symbol '${x}'`); },
  };
}

test('BreakpointRules counts hits only when the condition holds, and logs instead of stopping', async () => {
  const checked: string[] = [];
  const r = new BreakpointRules((x) => { checked.push(x); return x.includes('==') && x.trim().endsWith('==') ? 'expected an operand' : undefined; });
  assert.equal(r.set(1, { condition: 'i % 2 == 0', hitCondition: '== 2' }), undefined);
  const stops: number[] = [];
  for (let i = 0; i < 10; i++) if ((await r.decide(1, evalWith(i))).stop) stops.push(i);
  // Even i are 0, 2, 4...: the second of them is i = 2, and only that one.
  assert.deepEqual(stops, [2]);
  assert.equal(r.set(2, { logMessage: 'i is {i}' }), undefined);
  assert.deepEqual(await r.decide(2, evalWith(9)), { stop: false, log: 'i is 9' });
  assert.deepEqual(checked, ['i % 2 == 0', 'i']);
  assert.match(r.set(3, { condition: 'i ==' }) ?? '', /condition 'i ==': expected an operand/);
  assert.equal(r.has(3), false);
  assert.match(r.set(6, { logMessage: 'x {i ==}' }) ?? '', /log message \{i ==\}: expected an operand/);
  assert.match(r.set(7, { hitCondition: 'sometimes' }) ?? '', /hit count 'sometimes' is not understood/);
  assert.deepEqual(await r.decide(4, evalWith(0)), { stop: true }, 'no rule: always stops');
  r.set(5, { condition: 'ghost > 1' });
  const e5 = await r.decide(5, evalWith(0));
  assert.equal(e5.stop, true);
  assert.match(e5.error ?? '', /condition 'ghost > 1' failed: no symbol/);
  // Setting again replaces the rule and its count.
  r.set(1, { hitCondition: '2' });
  assert.deepEqual([(await r.decide(1, evalWith(0))).stop, (await r.decide(1, evalWith(0))).stop], [false, true]);
});
