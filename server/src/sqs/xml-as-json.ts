/**
 * An XML answer of ours as JSON the way LocalStack renders Query answers for `Accept:
 * application/json` (xmltodict's mapping, namespaces dropped): an element with children is an
 * object, a child name that repeats becomes a list, an element with only text is its text, an
 * empty element is `null`. So `<ReceiveMessageResult/>` is `null`, one `<Message>` an object, two
 * a list — the shapes tests written against LocalStack's developer endpoint read.
 *
 * It reads only XML this server wrote (xml-writer.ts): elements, text and the five entities;
 * attributes (the root's `xmlns`) are skipped.
 */

export type XmlJson = string | null | { [name: string]: XmlJson | XmlJson[] };

const TAG = /<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>/g;

export function xmlAsJson(xml: string): Record<string, XmlJson> {
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  interface Frame { name: string; children: [string, XmlJson][]; text: string }
  const root: Frame = { name: '', children: [], text: '' };
  const stack: Frame[] = [root];
  let last = 0;
  for (const match of body.matchAll(TAG)) {
    const top = stack[stack.length - 1]!;
    top.text += body.slice(last, match.index);
    last = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      const done = stack.pop()!;
      stack[stack.length - 1]!.children.push([done.name, valueOf(done)]);
    } else if (selfClosing) {
      top.children.push([name!, null]);
    } else {
      stack.push({ name: name!, children: [], text: '' });
    }
  }
  return valueOf(root) as Record<string, XmlJson>;
}

function valueOf(frame: { children: [string, XmlJson][]; text: string }): XmlJson {
  if (frame.children.length === 0) return frame.text === '' ? null : unescapeXml(frame.text);
  // A map without a prototype: an element named `__proto__` stays an element.
  const object: Record<string, XmlJson | XmlJson[]> = Object.create(null) as Record<string, XmlJson | XmlJson[]>;
  for (const [name, value] of frame.children) {
    const existing = object[name];
    // Element values are never lists, so a list here is one this loop made for a repeated name.
    if (existing === undefined) object[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else object[name] = [existing, value];
  }
  return object as XmlJson;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#x?[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      case 'amp': return '&';
      default: return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    }
  });
}
