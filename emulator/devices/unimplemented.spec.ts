// Specs for the unimplemented-region placeholder: reads 0, ignores writes, warns once per offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTR_DEBUG } from '../bus';
import { Unimplemented } from './unimplemented';
import { testContext } from './test-context';
import { findDeviceType, deviceTypes } from './registry';

test('reads 0, warns once per offset, debugger accesses stay silent', () => {
  const ctx = testContext({}, 'gpio@40010000');
  const u = new Unimplemented(ctx);
  u.write(4, 4, 0xffffffff, 0);
  assert.equal(u.read(4, 4, 0), 0);
  assert.equal(u.read(4, 2, 0), 0);
  assert.equal(u.read(8, 4, ATTR_DEBUG), 0);
  assert.equal(ctx.warnings.length, 1);
  assert.match(ctx.warnings[0], /gpio@40010000.*0x4/);
});

test('registry finds every model by its compatible strings', () => {
  for (const c of ['arm,cmsdk-apb-uart', 'arm,cmsdk-apb-timer', 'arm,cmsdk-apb-dualtimer', 'arm,mps2-fpgaio', 'arm,mps2-scc', 'tandem,unimplemented']) {
    const t = findDeviceType(c);
    assert.ok(t, c);
    const dev = t.create(testContext({}, c));
    assert.equal(typeof dev.read(0, 4, 0), 'number');
  }
  assert.equal(findDeviceType('arm,pl011'), undefined);
  assert.equal(new Set(deviceTypes.flatMap((t) => t.compatible)).size, deviceTypes.flatMap((t) => t.compatible).length);
});
