// Unit tests of the breakpoint condition language, hit-count conditions and logpoint
// interpolation (conditions.ts) and the hit counting of BreakpointRules, without a target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parseExpression, parseHitCondition, parseLogMessage, formatLogMessage, integerOf, ConditionError, type ValueContext } from './conditions';
import { BreakpointRules } from './breakpoint-rules';

function ctx(vars: Record<string, bigint>, regs: Record<string, number> = {}, mem: Record<number, number> = {}): ValueContext {
  return {
    register: (n) => (regs[n] === undefined ? undefined : BigInt(regs[n])),
    variable: (n) => vars[n],
    readMemory: (a, n) => (mem[a] === undefined ? undefined : new Uint8Array(new Uint32Array([mem[a]]).buffer).slice(0, n)),
  };
}
const ev = (src: string, c: ValueContext) => evaluate(parseExpression(src), c);

test('expressions follow C precedence and read registers, variables and memory', () => {
  const c = ctx({ i: 5n, n: -3n }, { r0: 0x10, pc: 0x400 }, { 0x20000000: 0xdeadbeef });
  assert.equal(ev('i == 5', c), 1n);
  assert.equal(ev('i == 4', c), 0n);
  assert.equal(ev('1 + 2 * 3', c), 7n);
  assert.equal(ev('(1 + 2) * 3', c), 9n);
  assert.equal(ev('i > 2 && n < 0', c), 1n);
  assert.equal(ev('i % 2 == 1 || missing', c), 1n, '|| short-circuits past an unknown name');
  assert.equal(ev('$r0 << 4 | 1', c), 0x101n);
  assert.equal(ev('$PC', c), 0x400n);
  assert.equal(ev('*0x20000000 == 0xdeadbeef', c), 1n);
  assert.equal(ev('~0 & 0xff', c), 0xffn);
  assert.equal(ev('!i', c), 0n);
  assert.equal(ev('-n', c), 3n);
});

test('bad expressions and failed reads give errors naming the problem', () => {
  const c = ctx({ i: 1n });
  assert.throws(() => parseExpression('i ==') , /column 5 .*ended/);
  assert.throws(() => parseExpression('i # 2'), /unexpected '#' at column 3/);
  assert.throws(() => parseExpression('(i'), /expected '\)'/);
  assert.throws(() => parseExpression('  '), /empty expression/);
  assert.throws(() => parseExpression('('.repeat(500) + '1' + ')'.repeat(500)), /nested too deeply/);
  assert.throws(() => ev('nope + 1', c), /no variable 'nope'/);
  assert.throws(() => ev('$r99', c), /no register '\$r99'/);
  assert.throws(() => ev('i / 0', c), /division by zero/);
  assert.throws(() => ev('*4', c), /cannot read memory at 0x00000004/);
});

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

test('log messages interpolate {expr}, keep {{ }} literal and show errors in place', () => {
  const c = ctx({ count: 7n, x: 2n });
  assert.equal(formatLogMessage(parseLogMessage('count={count} twice={count*2} {{raw}}'), c), 'count=7 twice=14 {raw}');
  assert.equal(formatLogMessage(parseLogMessage('v={y}'), c), "v=<y: no variable 'y' in scope or among the globals>");
  assert.throws(() => parseLogMessage('a {b'), /never closed/);
  assert.throws(() => parseLogMessage('a } b'), /unmatched '}'/);
});

test('integerOf sign-extends only signed values', () => {
  assert.equal(integerOf(new Uint8Array([0xff, 0xff]), true), -1n);
  assert.equal(integerOf(new Uint8Array([0xff, 0xff]), false), 0xffffn);
  assert.equal(integerOf(new Uint8Array([0x34, 0x12, 0, 0]), true), 0x1234n);
});

test('BreakpointRules counts hits only when the condition holds, and logs instead of stopping', () => {
  const r = new BreakpointRules();
  assert.equal(r.set(1, { condition: 'i % 2 == 0', hitCondition: '== 2' }), undefined);
  const stops: number[] = [];
  for (let i = 0; i < 10; i++) {
    const d = r.commit(1, r.probe(1, ctx({ i: BigInt(i) })));
    if (d.stop) stops.push(i);
  }
  // Even i are 0, 2, 4...: the second of them is i = 2, and only that one.
  assert.deepEqual(stops, [2]);
  assert.equal(r.set(2, { logMessage: 'i is {i}' }), undefined);
  const d = r.commit(2, r.probe(2, ctx({ i: 9n })));
  assert.deepEqual(d, { stop: false, log: 'i is 9' });
  assert.match(r.set(3, { condition: 'i ==' }) ?? '', /expected a number/);
  assert.equal(r.has(3), false);
  const err = r.commit(4, r.probe(4, ctx({})));
  assert.deepEqual(err, { stop: true }, 'no rule: always stops');
  r.set(5, { condition: 'ghost > 1' });
  const e5 = r.commit(5, r.probe(5, ctx({})));
  assert.equal(e5.stop, true);
  assert.match(e5.error ?? '', /no variable 'ghost'/);
});
