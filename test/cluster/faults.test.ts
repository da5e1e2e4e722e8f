import { describe, expect, it } from 'vitest';
import { FaultInjector, FaultSpecError, parseFaultSpec } from '../../server/src/admin/faults.js';

const members = ['n1', 'n2', 'n3'];

describe('parseFaultSpec', () => {
  it('accepts every documented field', () => {
    const spec = parseFaultSpec(
      { isolate: ['n2'], dropTo: ['n3'], dropFrom: [], delayTo: { n3: 100 }, delayFrom: { n2: 0 }, refuseClients: true },
      members,
    );
    expect(spec).toEqual({ isolate: ['n2'], dropTo: ['n3'], dropFrom: [], delayTo: { n3: 100 }, delayFrom: { n2: 0 }, refuseClients: true });
  });

  it.each([
    ['a non-object body', [], /JSON object/],
    ['an unknown field', { partition: ['n2'] }, /unknown field "partition"/],
    ['a node that is not a member', { isolate: ['n9'] }, /"n9", which is not a member/],
    ['a peer list that is not an array', { dropTo: 'n2' }, /array of node ids/],
    ['a negative delay', { delayTo: { n2: -1 } }, /integer from 0/],
    ['a fractional delay', { delayFrom: { n2: 1.5 } }, /integer from 0/],
    ['a non-boolean refuseClients', { refuseClients: 'yes' }, /boolean/],
  ])('rejects %s', (_, body, message) => {
    expect(() => parseFaultSpec(body, members)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(body, members)).toThrow(message);
  });
});

describe('FaultInjector', () => {
  it('applies isolate to both directions and replaces the rules on each set', () => {
    const faults = new FaultInjector();
    faults.set({ isolate: ['n2'], delayTo: { n3: 50 } });
    expect(faults.drops('to', 'n2')).toBe(true);
    expect(faults.drops('from', 'n2')).toBe(true);
    expect(faults.drops('to', 'n3')).toBe(false);
    expect(faults.delayMs('to', 'n3')).toBe(50);
    expect(faults.delayMs('from', 'n3')).toBe(0);

    faults.set({ dropFrom: ['n3'], refuseClients: true });
    expect(faults.drops('to', 'n2')).toBe(false);
    expect(faults.drops('from', 'n3')).toBe(true);
    expect(faults.refusesClients).toBe(true);

    expect(faults.clear()).toEqual({ dropTo: [], dropFrom: [], delayTo: {}, delayFrom: {}, refuseClients: false });
    expect(faults.refusesClients).toBe(false);
  });
});
