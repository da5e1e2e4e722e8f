import { describe, expect, it } from 'vitest';
import { xmlAsJson } from '../../../server/src/sqs/xml-as-json.js';

describe('xmlAsJson (LocalStack\'s JSON rendering of a Query answer)', () => {
  it('drops the declaration and namespace, lists repeated names, keeps single ones as objects', () => {
    const xml = '<?xml version="1.0"?><R xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Result>' +
      '<M><Id>1</Id><A><N>x</N></A><A><N>y</N></A><A><N>z</N></A></M></Result><Meta><Id>r</Id></Meta></R>';
    expect(xmlAsJson(xml)).toEqual({
      R: { Result: { M: { Id: '1', A: [{ N: 'x' }, { N: 'y' }, { N: 'z' }] } }, Meta: { Id: 'r' } },
    });
  });

  it('renders empty elements as null and unescapes text', () => {
    expect(xmlAsJson('<R><Empty></Empty><Self/><T>&lt;a href=&quot;x&quot;&gt; &amp;&apos; &#x41;&#66;</T></R>')).toEqual({
      R: { Empty: null, Self: null, T: '<a href="x"> &\' AB' },
    });
  });

  it('keeps an element named __proto__ as an element', () => {
    const json = xmlAsJson('<R><__proto__>p</__proto__></R>') as { R: Record<string, unknown> };
    expect(Object.keys(json.R)).toEqual(['__proto__']);
    expect(json.R['__proto__']).toBe('p');
  });
});
